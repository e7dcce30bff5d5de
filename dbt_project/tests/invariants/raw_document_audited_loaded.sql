-- Every document in raw.documents is audited loaded (and not taken out since).
{{ config(severity='warn', tags=['invariant']) }}

with in_warehouse as (
    {{ in_warehouse() }}
)

select
    documents.document_id,
    'document ' || left(documents.document_id, 12) || ' ('
    || coalesce(documents.file_name, '?')
    || ') is in raw.documents but its audit does not say it is loaded' as detail
from {{ source('yusuan', 'documents') }} as documents
where documents.document_id not in (select in_warehouse.document_id from in_warehouse)
