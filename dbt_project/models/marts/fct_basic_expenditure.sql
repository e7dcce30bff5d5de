with

basic_expenditure as (

    select * from {{ ref('stg_yusuan__basic_expenditure') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

first_tables as (

    {% call keep_first(
        ['basic_expenditure.document_id'],
        [
            'basic_expenditure.page_number',
            'basic_expenditure.table_index'
        ]
    ) %}
    -- one economic table per document: the first printed (lowest page). A document may
    -- print the same table again (per unit, or all funds after 一般公共预算), or an
    -- expenditure table by economic class beside its basic one; gate 2 reconciles this
    -- mart with the first table's total row
    select
        basic_expenditure.document_id,
        basic_expenditure.table_index
    from basic_expenditure
    {% endcall %}

),

first_table_rows as (

    -- well-formed code rows of that table: 类 (3 digits), 款 (5) and 项 (7), each with the
    -- unit it is printed under ('' for the department's rows: under the 合计 or no unit)
    select
        basic_expenditure.*,
        coalesce(basic_expenditure.unit_code, basic_expenditure.unit_name, '') as unit_key
    from basic_expenditure
    where
        basic_expenditure.row_kind = 'code'
        and {{ full_match('basic_expenditure.economic_code', '[0-9]{3}([0-9]{2}){0,2}') }}
        and exists (
            select first_tables.document_id
            from first_tables
            where
                basic_expenditure.document_id = first_tables.document_id
                and basic_expenditure.table_index is not distinct from first_tables.table_index
        )

),

code_rows as (

    {% call keep_first(
        [
            'first_table_rows.document_id',
            'first_table_rows.unit_key',
            'first_table_rows.economic_code',
            'first_table_rows.gov_economic_code'
        ],
        ['first_table_rows.page_number', 'first_table_rows.row_index']
    ) %}
    -- a table listed by unit counts its units' rows; one printing the department's rows
    -- too (over or before its units') counts those only, so that no figure counts twice.
    -- A table split by both classifications prints a code once per 政府 code (301 under
    -- 501 and 505): each printing is a row; a code printed twice with the same 政府 code
    -- under one unit counts once
    select first_table_rows.*
    from first_table_rows
    where
        first_table_rows.unit_key = ''
        or not exists (
            select department_rows.document_id
            from first_table_rows as department_rows
            where
                department_rows.document_id = first_table_rows.document_id
                and department_rows.unit_key = ''
        )
    {% endcall %}

),

parents_with_items as (

    -- the 类 and 款 under which a unit (or the department) prints deeper rows
    select distinct
        code_rows.document_id,
        code_rows.unit_key,
        left(code_rows.economic_code, 3) as economic_code
    from code_rows
    where length(code_rows.economic_code) > 3

    union

    select distinct
        code_rows.document_id,
        code_rows.unit_key,
        left(code_rows.economic_code, 5) as economic_code
    from code_rows
    where length(code_rows.economic_code) = 7

),

unparented_items as (

    -- 项 (7-digit) rows whose 款 the unit does not print (北京: 3021101 差旅费 with no
    -- 30211 row) roll up to their 款, so that a fact is a 类 or a 款 in every document; a
    -- 项 row under a printed 款 is left out: the 款 already sums it (gate 1 checks it)
    select
        code_rows.document_id,
        code_rows.unit_key,
        code_rows.gov_economic_code,
        left(code_rows.economic_code, 5) as economic_code,
        sum(code_rows.amount_yuan) as amount_yuan,
        sum(code_rows.personnel_yuan) as personnel_yuan,
        sum(code_rows.public_yuan) as public_yuan,
        min(code_rows.kind) as kind,
        min(code_rows.page_number) as page_number
    from code_rows
    where
        length(code_rows.economic_code) = 7
        and not exists (
            select items.document_id
            from code_rows as items
            where
                code_rows.document_id = items.document_id
                and code_rows.unit_key = items.unit_key
                and left(code_rows.economic_code, 5) = items.economic_code
        )
    group by
        code_rows.document_id,
        code_rows.unit_key,
        code_rows.gov_economic_code,
        left(code_rows.economic_code, 5)

),

unit_rows as (

    -- per unit, the deepest printed level: every 款 row with no 项 printed under it (or its
    -- 项 rolled up), and a 类 row only where the unit prints nothing under it (a 类 row over
    -- its 款 is a subtotal, not a fact)
    select
        code_rows.document_id,
        code_rows.economic_code,
        code_rows.gov_economic_code,
        code_rows.amount_yuan,
        code_rows.personnel_yuan,
        code_rows.public_yuan,
        code_rows.kind,
        code_rows.page_number
    from code_rows
    left join parents_with_items
        on
            code_rows.document_id = parents_with_items.document_id
            and code_rows.unit_key = parents_with_items.unit_key
            and code_rows.economic_code = parents_with_items.economic_code
    where
        length(code_rows.economic_code) = 5
        or (
            length(code_rows.economic_code) = 3
            and parents_with_items.economic_code is null
        )

    union all

    select
        unparented_items.document_id,
        unparented_items.economic_code,
        unparented_items.gov_economic_code,
        unparented_items.amount_yuan,
        unparented_items.personnel_yuan,
        unparented_items.public_yuan,
        unparented_items.kind,
        unparented_items.page_number
    from unparented_items

),

deepest_rows as (

    -- the department's figure of a code: the sum of its units' (one unit, or the
    -- department's own rows, sum to themselves)
    select
        unit_rows.document_id,
        unit_rows.economic_code,
        unit_rows.gov_economic_code,
        sum(unit_rows.amount_yuan) as amount_yuan,
        sum(unit_rows.personnel_yuan) as personnel_yuan,
        sum(unit_rows.public_yuan) as public_yuan,
        min(unit_rows.kind) as kind,
        min(unit_rows.page_number) as page_number
    from unit_rows
    group by
        unit_rows.document_id,
        unit_rows.economic_code,
        unit_rows.gov_economic_code

),

final as (

    select
        cast(deepest_rows.document_id as varchar) as document_id,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(documents.budget_level as varchar) as budget_level,
        cast(deepest_rows.economic_code as varchar) as economic_code,
        cast(deepest_rows.gov_economic_code as varchar) as gov_economic_code,
        cast(deepest_rows.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(deepest_rows.personnel_yuan as decimal(20, 2)) as personnel_yuan,
        cast(deepest_rows.public_yuan as decimal(20, 2)) as public_yuan,
        cast(deepest_rows.kind as varchar) as kind,
        cast(deepest_rows.page_number as integer) as page_number
    from deepest_rows
    left join documents
        on deepest_rows.document_id = documents.document_id

)

select * from final
