-- A document audited loaded (and not taken out since) has its row in raw.documents.
{{ config(severity='warn', tags=['invariant']) }}

with in_warehouse as (
    {{ in_warehouse() }}
)

select
    in_warehouse.document_id,
    'document ' || left(in_warehouse.document_id, 12) || ' (' || in_warehouse.file_name
    || ') is audited loaded but has no row in raw.documents' as detail
from in_warehouse
where in_warehouse.document_id not in (
    select documents.document_id from {{ source('yusuan', 'documents') }} as documents
)
