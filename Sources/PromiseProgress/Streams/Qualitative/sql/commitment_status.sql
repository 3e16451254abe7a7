-- Each commitment as at the end of each financial year: its latest tracker row updated by then.
SELECT p.period_id, c.commitment_id, c.foundation, c.owner, c.due, c.status, c.updated,
       CASE WHEN c.status <> 'delivered' AND c.due IS NOT NULL AND c.due < p.end_date THEN 1 ELSE 0 END,
       EXISTS (SELECT 1 FROM commitment e WHERE e.commitment_id = c.commitment_id AND e.updated <= p.end_date AND e.source_document IS NOT NULL)
FROM period p
JOIN commitment c ON c.updated <= p.end_date
WHERE p.period_type = 'financial_year'
  AND c.updated = (SELECT MAX(x.updated) FROM commitment x WHERE x.commitment_id = c.commitment_id AND x.updated <= p.end_date)
ORDER BY p.period_id, c.foundation, c.commitment_id
