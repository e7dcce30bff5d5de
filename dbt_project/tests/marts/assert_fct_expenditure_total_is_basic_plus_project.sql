-- Asserts total_yuan = basic_yuan + project_yuan on every fct_expenditure row where both
-- parts are printed, within one unit of the last printed digit (at least 1 yuan).
with

expenditure as (

    select * from {{ ref('fct_expenditure') }}

),

printed_rows as (

    select * from {{ ref('stg_yusuan__function_expenditure') }}

),

tolerances as (

    -- one unit of the last printed digit, in yuan: 2 rounded parts vs a rounded total
    select
        printed_rows.document_id,
        printed_rows.budget_scope,
        printed_rows.function_code,
        printed_rows.page_number,
        max(
            {{ last_digit_yuan('printed_rows.decimals', 'printed_rows.amount_unit') }}
        ) as tolerance_yuan
    from printed_rows
    where printed_rows.row_kind = 'code'
    group by
        printed_rows.document_id,
        printed_rows.budget_scope,
        printed_rows.function_code,
        printed_rows.page_number

)

select
    expenditure.document_id,
    expenditure.budget_scope,
    expenditure.function_code,
    expenditure.page_number,
    expenditure.total_yuan,
    expenditure.basic_yuan,
    expenditure.project_yuan,
    tolerances.tolerance_yuan
from expenditure
left join tolerances
    on
        expenditure.document_id = tolerances.document_id
        and expenditure.budget_scope = tolerances.budget_scope
        and expenditure.function_code = tolerances.function_code
        and expenditure.page_number = tolerances.page_number
where
    expenditure.total_yuan is not null
    and expenditure.basic_yuan is not null
    and expenditure.project_yuan is not null
    and abs(expenditure.total_yuan - expenditure.basic_yuan - expenditure.project_yuan)
    > greatest(1, coalesce(tolerances.tolerance_yuan, 1))
