with

source as (

    select * from {{ source('yusuan', 'function_expenditure') }}

),

renamed as (

    select

        ----------  ids
        document_id,
        {{ clean_text('function_code') }} as function_code,
        {{ clean_text('unit_code') }} as unit_code,

        ----------  lineage
        page_number,
        table_index,
        row_index,
        {{ clean_text('table_title') }} as table_title,

        ----------  strings
        budget_scope,
        row_kind,
        {{ clean_text('amount_unit') }} as amount_unit,
        {{ clean_text('name') }} as name,

        ----------  numerics
        code_level,
        decimals,
        total_yuan,
        basic_yuan,
        project_yuan,
        personnel_yuan,
        public_yuan,
        other_yuan

    from source

)

select * from renamed
