-- Answers to a question of another version of the survey (the question bank gives each question's survey).
SELECT r.rowid AS rid, 'question_id' AS column_name, r.question_id AS value,
       'question ' || r.question_id || ' belongs to survey ' || q.survey_id || ', not ' || r.survey_id
         || ' (seeds/survey_question.csv)' AS reason
FROM survey_response r JOIN survey_question q ON q.question_id = r.question_id
WHERE q.survey_id <> r.survey_id
