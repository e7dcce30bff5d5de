-- Asserts every code row of the basic-expenditure tables prints a 3-, 5- or 7-digit economic
-- code (类, 款, 项).
select
    basic_expenditure.document_id,
    basic_expenditure.page_number,
    basic_expenditure.table_index,
    basic_expenditure.row_index,
    basic_expenditure.economic_code
from {{ ref('stg_yusuan__basic_expenditure') }} as basic_expenditure
where
    basic_expenditure.row_kind = 'code'
    and (
        basic_expenditure.economic_code is null
        or not {{ full_match('basic_expenditure.economic_code', '[0-9]{3}([0-9]{2}){0,2}') }}
    )
