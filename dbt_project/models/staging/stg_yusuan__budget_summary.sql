with

source as (

    select * from {{ source('yusuan', 'budget_summary') }}

),

renamed as (

    select

        ----------  ids
        document_id,

        ----------  lineage
        page_number,
        table_index,
        row_index,
        {{ clean_text('table_title') }} as table_title,

        ----------  strings
        table_kind,
        side,
        line_kind,
        ordinal,
        {{ clean_text('line_name') }} as line_name,
        {{ clean_text('group_name') }} as group_name,
        class_code,
        {{ clean_text('amount_unit') }} as amount_unit,

        ----------  numerics
        line_level,
        decimals,
        amount_yuan,
        general_public_budget_yuan,
        government_fund_yuan,
        state_capital_yuan,
        basic_yuan,
        project_yuan

    from source

)

select * from renamed
