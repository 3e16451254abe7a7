-- One row per accepted answer with its question and scale. favourable is 1 when the answer is a
-- positive one for the question as worded (reversed for a negatively worded question), 0 when not,
-- and NULL for "don't know" and "prefer not to say", which are kept out of every denominator.
SELECT r.wave, r.survey_id, r.respondent_id, r.la_code, r.age_group, r.sex, r.placement_type,
       r.question_id, q.topic, q.foundation, q.wellbeing_indicator, r.answer, s.label,
       CASE WHEN s.is_positive IS NULL THEN NULL WHEN q.polarity = 'negative' THEN 1 - s.is_positive ELSE s.is_positive END
FROM survey_response r
JOIN survey_question q ON q.question_id = r.question_id
JOIN survey_answer_scale s ON s.scale_id = q.scale_id AND s.answer = r.answer
ORDER BY r.wave, q.topic, r.la_code
