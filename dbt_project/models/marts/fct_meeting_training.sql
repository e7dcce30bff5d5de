with

meeting_training as (

    select * from {{ ref('stg_yusuan__meeting_training') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

first_tables as (

    {% call first_printed('meeting_training', within=['category', 'row_kind']) %}
    -- a category's totals come from the first table printing them (a 三公 table's 会议费
    -- column, or a list's 合计), its items from the first list: a table printed again (the
    -- department's and a unit's set) counts once; the 合计 over 三公 + 会议费 + 培训费
    -- (combined) is no 会议费 or 培训费 and stays in staging
    select meeting_training.*
    from meeting_training
    where meeting_training.row_kind in ('total', 'item')
    {% endcall %}

),

final as (

    select
        cast(first_tables.document_id as varchar) as document_id,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(documents.budget_level as varchar) as budget_level,
        cast(first_tables.table_index as integer) as table_index,
        cast(first_tables.row_index as integer) as row_index,
        cast(first_tables.category as varchar) as category,
        cast(first_tables.row_kind as varchar) as row_kind,
        cast(first_tables.name as varchar) as name,
        cast(first_tables.held_on as varchar) as held_on,
        cast(first_tables.participants as integer) as participants,
        cast(first_tables.duration_days as integer) as duration_days,
        cast(first_tables.sessions as integer) as sessions,
        cast(first_tables.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(first_tables.page_number as integer) as page_number
    from first_tables
    left join documents
        on first_tables.document_id = documents.document_id

)

select * from final
