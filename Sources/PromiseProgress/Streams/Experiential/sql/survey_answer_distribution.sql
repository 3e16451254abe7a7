-- Every answer given to each topic in each wave across Scotland, by age group (each age group has its
-- own survey version and scale), don't know and prefer not to say included, with the number in that
-- age group who answered the topic (the group). What is published of it is decided with the survey
-- results: a group is published only where that result is (see PublicData).
-- (The group sizes are counted once, grouped, rather than once per row of the result.)
WITH answered AS MATERIALIZED (
    SELECT wave, topic, age_group, COUNT(*) AS n FROM survey_answer GROUP BY wave, topic, age_group
)
SELECT a.wave, a.age_group, a.topic, a.answer, a.answer_label, MIN(s.sort_order), a.favourable, COUNT(*),
       (SELECT g.n FROM answered g WHERE g.wave = a.wave AND g.topic = a.topic AND g.age_group = a.age_group)
FROM survey_answer a
JOIN survey_question q ON q.question_id = a.question_id
JOIN survey_answer_scale s ON s.scale_id = q.scale_id AND s.answer = a.answer
GROUP BY a.wave, a.age_group, a.topic, a.answer, a.answer_label, a.favourable
ORDER BY a.wave, a.topic, a.age_group, 6, a.answer
