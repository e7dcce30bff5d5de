with

three_public as (

    select * from {{ ref('stg_yusuan__three_public') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

documents_with_table as (

    select distinct three_public.document_id
    from three_public
    where three_public.source = 'table'

),

chosen_rows as (

    {% call keep_first(
        [
            'three_public.document_id',
            'three_public.category'
        ],
        [
            'three_public.page_number',
            'three_public.table_index',
            'three_public.row_index'
        ]
    ) %}
    -- a document that prints the "三公"经费 table takes every figure from it; a document
    -- that states them only in prose takes the narrative's; a category printed twice
    -- counts once: the lowest page wins
    select three_public.*
    from three_public
    left join documents_with_table
        on three_public.document_id = documents_with_table.document_id
    where
        three_public.source
        = case when documents_with_table.document_id is null then 'narrative' else 'table' end
    {% endcall %}

),

final as (

    select
        cast(chosen_rows.document_id as varchar) as document_id,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(documents.budget_level as varchar) as budget_level,
        cast(chosen_rows.category as varchar) as category,
        cast(chosen_rows.category_name as varchar) as category_name,
        cast(chosen_rows.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(chosen_rows.source as varchar) as source,
        cast(chosen_rows.page_number as integer) as page_number
    from chosen_rows
    left join documents
        on chosen_rows.document_id = documents.document_id

)

select * from final
