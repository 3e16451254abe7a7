-- Every comment with its redacted text (redact_comment: names and any other capitalised word that is
-- not allowed or an everyday word starting a sentence, e-mail addresses, phone numbers and numbers in
-- words, postcodes, street addresses, council areas, places, units and schools replaced by a bracketed
-- word), the respondent's age group, how many respondents answered that survey version in that wave
-- (the group a quote is attributed to), the SHA-256 of the redacted text, and the reviewer's decision
-- on it: approved only where quote_review approves this exact text (same hash); a decision on another
-- text is 'changed' and needs review again. Publication takes only approved quotes with consent from
-- large enough groups.
WITH respondents AS MATERIALIZED (
    SELECT survey_id, wave, COUNT(*) AS n FROM survey_respondent GROUP BY survey_id, wave
),
redacted AS MATERIALIZED (
    SELECT c.wave, c.survey_id, c.respondent_id, c.question_id, q.topic, q.foundation, sv.age_group,
           c.consent_to_quote, redact_comment(c.comment) AS redacted,
           COALESCE((SELECT g.n FROM respondents g WHERE g.survey_id = c.survey_id AND g.wave = c.wave), 0) AS group_respondents
    FROM survey_comment c
    JOIN survey_question q ON q.question_id = c.question_id
    JOIN survey sv ON sv.survey_id = c.survey_id
    WHERE c.comment IS NOT NULL
),
hashed AS MATERIALIZED (
    SELECT *, sha256_hex(redacted) AS redacted_sha256 FROM redacted
)
SELECT h.wave, h.survey_id, h.respondent_id, h.question_id, h.topic, h.foundation, h.age_group,
       h.consent_to_quote, h.redacted, h.group_respondents, h.redacted_sha256,
       CASE WHEN r.decision IS NULL THEN 'pending'
            WHEN lower(r.redacted_sha256) <> h.redacted_sha256 THEN 'changed'
            ELSE r.decision END
FROM hashed h
LEFT JOIN quote_review r ON r.survey_id = h.survey_id AND r.wave = h.wave AND r.respondent_id = h.respondent_id AND r.question_id = h.question_id
ORDER BY h.wave, h.foundation, h.survey_id, h.respondent_id
