-- Every answer given to each topic in each wave across Scotland, don't know and prefer not to say
-- included, with the number who answered that topic (the group). Scotland only: the groups are large.
SELECT a.wave, a.topic, a.answer, a.answer_label, MIN(s.sort_order), a.favourable, COUNT(*),
       (SELECT COUNT(*) FROM survey_answer g WHERE g.wave = a.wave AND g.topic = a.topic)
FROM survey_answer a
JOIN survey_question q ON q.question_id = a.question_id
JOIN survey_answer_scale s ON s.scale_id = q.scale_id AND s.answer = a.answer
GROUP BY a.wave, a.topic, a.answer, a.answer_label, a.favourable
ORDER BY a.wave, a.topic, 5, a.answer
