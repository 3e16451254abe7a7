-- More children answered than were invited: the invitation count is wrong, so the row is rejected and
-- that group's response rate is not available (its answers are kept).
SELECT i.rowid AS rid, 'invited' AS column_name, CAST(i.invited AS TEXT) AS value,
       'invited ' || i.invited || ' but ' || n.respondents || ' answered ' || i.survey_id || ' in ' || i.wave || ' in this council area and age group' AS reason
FROM survey_invited i
JOIN (SELECT survey_id, wave, la_code, age_group, COUNT(DISTINCT respondent_id) AS respondents
      FROM survey_response GROUP BY survey_id, wave, la_code, age_group) n
  ON n.survey_id = i.survey_id AND n.wave = i.wave AND n.la_code = i.la_code AND n.age_group = i.age_group
WHERE n.respondents > i.invited
