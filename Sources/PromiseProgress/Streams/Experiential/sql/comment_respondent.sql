-- A comment belongs to an accepted answer: the same survey, wave, respondent and question in responses.csv.
SELECT c.rowid AS rid, 'respondent_id' AS column_name, c.respondent_id AS value,
       'no accepted answer of respondent ' || c.respondent_id || ' to ' || c.question_id || ' in ' || c.survey_id || ' ' || c.wave
         || ' (missing from responses.csv or rejected there)' AS reason
FROM survey_comment c
WHERE NOT EXISTS (SELECT 1 FROM survey_response r WHERE r.survey_id = c.survey_id AND r.wave = c.wave
                    AND r.respondent_id = c.respondent_id AND r.question_id = c.question_id)
