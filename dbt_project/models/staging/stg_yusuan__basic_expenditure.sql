with

source as (

    select * from {{ source('yusuan', 'basic_expenditure') }}

),

renamed as (

    select

        ----------  ids
        document_id,
        {{ clean_text('economic_code') }} as economic_code,
        {{ clean_text('gov_economic_code') }} as gov_economic_code,
        {{ clean_text('unit_code') }} as unit_code,

        ----------  lineage
        page_number,
        table_index,
        row_index,
        {{ clean_text('table_title') }} as table_title,

        ----------  strings
        row_kind,
        kind,
        {{ clean_text('amount_unit') }} as amount_unit,
        {{ clean_text('economic_name') }} as economic_name,
        {{ clean_text('gov_economic_name') }} as gov_economic_name,
        {{ clean_text('unit_name') }} as unit_name,

        ----------  numerics
        decimals,
        amount_yuan,
        personnel_yuan,
        public_yuan

    from source

)

select * from renamed
