-- A tracker row citing a document that was not read (missing from documents/ or rejected there).
SELECT c.rowid AS rid, 'source_document' AS column_name, c.source_document AS value,
       'source_document ' || c.source_document || ' is not among the accepted documents (missing from documents/ or rejected there)' AS reason
FROM commitment c
WHERE c.source_document IS NOT NULL AND NOT EXISTS (SELECT 1 FROM document d WHERE d.document_id = c.source_document)
