-- One row per respondent per wave, described as on every accepted answer row (transform made them agree).
SELECT wave, survey_id, respondent_id, MIN(la_code), MIN(age_group), MIN(sex), MIN(placement_type), COUNT(*)
FROM survey_response
GROUP BY wave, survey_id, respondent_id
ORDER BY 1, 4, 5
