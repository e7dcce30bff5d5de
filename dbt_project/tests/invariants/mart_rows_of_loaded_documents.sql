-- No mart holds a row of a document that is not audited loaded. Every mart with a
-- document_id column is listed (a test keeps the list whole: tests/test_layers.py).
{{ config(severity='warn', tags=['invariant']) }}

{%- set marts = [
    'dim_document', 'dim_document_table', 'fct_basic_expenditure', 'fct_budget_summary',
    'fct_expenditure', 'fct_expenditure_total', 'fct_income', 'fct_indicator',
    'fct_meeting_training', 'fct_narrative_check', 'fct_operating_expenses',
    'fct_performance_statement', 'fct_procurement',
    'fct_service_purchase', 'fct_three_public',
] %}

with in_warehouse as (
    {{ in_warehouse() }}
),

mart_documents as (
    {%- for mart in marts %}
        select distinct
            document_id,
            '{{ mart }}' as mart
        from {{ ref(mart) }}
        {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
)

select
    mart_documents.document_id,
    'marts.' || mart_documents.mart || ' holds rows of document '
    || left(mart_documents.document_id, 12) || ', which is not audited loaded' as detail
from mart_documents
where
    mart_documents.document_id is not null
    and mart_documents.document_id not in (select in_warehouse.document_id from in_warehouse)
