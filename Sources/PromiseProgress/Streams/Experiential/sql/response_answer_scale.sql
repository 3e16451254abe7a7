-- Answers that are not on their question's scale (seeds/survey_answer_scale.csv).
SELECT r.rowid AS rid, 'answer' AS column_name, r.answer AS value,
       'answer ''' || r.answer || ''' is not on scale ' || q.scale_id || ' of question ' || r.question_id
         || '; expected one of ' || (SELECT group_concat(answer, ', ') FROM (SELECT answer FROM survey_answer_scale s WHERE s.scale_id = q.scale_id ORDER BY sort_order)) AS reason
FROM survey_response r JOIN survey_question q ON q.question_id = r.question_id
WHERE NOT EXISTS (SELECT 1 FROM survey_answer_scale s WHERE s.scale_id = q.scale_id AND s.answer = r.answer)
