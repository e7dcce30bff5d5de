with

statements as (

    select * from {{ ref('stg_yusuan__performance_statements') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

final as (

    select
        cast(statements.document_id as varchar) as document_id,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(documents.budget_level as varchar) as budget_level,
        cast(statements.project_count as integer) as project_count,
        cast(statements.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(statements.amount_unit as varchar) as amount_unit,
        cast(statements.page_number as integer) as page_number,
        cast(statements.sentence as varchar) as sentence
    from statements
    left join documents
        on statements.document_id = documents.document_id

)

select * from final
