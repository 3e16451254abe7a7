-- Every comment with its redacted text (redact_comment: names, e-mail addresses, phone numbers,
-- postcodes, street addresses, council areas and schools replaced by a bracketed word), the
-- respondent's age group, and how many respondents answered that survey version in that wave (the
-- group a quote is attributed to). Publication takes only quotes with consent from large enough groups.
SELECT c.wave, c.survey_id, c.respondent_id, c.question_id, q.topic, q.foundation, sv.age_group,
       c.consent_to_quote, redact_comment(c.comment),
       (SELECT COUNT(*) FROM survey_respondent g WHERE g.survey_id = c.survey_id AND g.wave = c.wave)
FROM survey_comment c
JOIN survey_question q ON q.question_id = c.question_id
JOIN survey sv ON sv.survey_id = c.survey_id
WHERE c.comment IS NOT NULL
ORDER BY c.wave, q.foundation, c.survey_id, c.respondent_id
