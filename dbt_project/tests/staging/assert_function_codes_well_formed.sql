-- Asserts every code row of the function tables prints a 3-, 5- or 7-digit code whose
-- length matches its code_level (1, 2, 3).
select
    function_expenditure.document_id,
    function_expenditure.page_number,
    function_expenditure.table_index,
    function_expenditure.row_index,
    function_expenditure.function_code,
    function_expenditure.code_level
from {{ ref('stg_yusuan__function_expenditure') }} as function_expenditure
where
    function_expenditure.row_kind = 'code'
    and (
        function_expenditure.function_code is null
        or not {{ full_match('function_expenditure.function_code', '[0-9]{3}([0-9]{2}){0,2}') }}
        or length(function_expenditure.function_code) != 1 + 2 * function_expenditure.code_level
    )
