-- Every document audited loaded (and not taken out since) is in marts.dim_document.
{{ config(severity='warn', tags=['invariant']) }}

with in_warehouse as (
    {{ in_warehouse() }}
)

select
    in_warehouse.document_id,
    'document ' || left(in_warehouse.document_id, 12) || ' (' || in_warehouse.file_name
    || ') is audited loaded but is not in marts.dim_document' as detail
from in_warehouse
where in_warehouse.document_id not in (
    select dim_document.document_id from {{ ref('dim_document') }} as dim_document
)
