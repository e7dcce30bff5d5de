{% test parts_sum_to_total(model, column_name, parts) %}
-- Rows of fct_expenditure where the column differs from the sum of its parts by more than
-- one unit of the last printed digit (at least 1 yuan); rows missing any part are skipped.
with

facts as (

    select * from {{ model }}

),

printed_rows as (

    select * from {{ ref('stg_yusuan__function_expenditure') }}

),

tolerances as (

    -- one unit of the last printed digit, in yuan: rounded parts vs a rounded total
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
    facts.*,
    tolerances.tolerance_yuan
from facts
left join tolerances
    on
        facts.document_id = tolerances.document_id
        and facts.budget_scope = tolerances.budget_scope
        and facts.function_code = tolerances.function_code
        and facts.page_number = tolerances.page_number
where
    facts.{{ column_name }} is not null
    {% for part in parts %}and facts.{{ part }} is not null
    {% endfor %}and abs(facts.{{ column_name }}{% for part in parts %} - facts.{{ part }}{% endfor %})
    > greatest(1, coalesce(tolerances.tolerance_yuan, 1))

{% endtest %}
