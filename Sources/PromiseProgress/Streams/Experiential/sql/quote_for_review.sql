-- Quotes that could be published (consent, some text) but have no reviewer's approval of their exact
-- redacted text: pending (no decision), changed (the decision was on another text) or rejected. The
-- render stage writes those from large enough groups to quotes-for-review.csv beside the store.
SELECT survey_id, wave, respondent_id, question_id, review, redacted_sha256, redacted, group_respondents
FROM survey_quote
WHERE consent_to_quote = 'yes' AND trim(redacted) <> '' AND review <> 'approved'
ORDER BY wave, survey_id, respondent_id, question_id
