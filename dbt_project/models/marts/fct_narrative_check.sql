with

narrative_totals as (

    select * from {{ ref('stg_yusuan__narrative_totals') }}

),

function_expenditure as (

    select * from {{ ref('stg_yusuan__function_expenditure') }}

),

expenditure_totals as (

    select * from {{ ref('fct_expenditure_total') }}

),

basic_expenditure as (

    select * from {{ ref('stg_yusuan__basic_expenditure') }}

),

three_public as (

    select * from {{ ref('fct_three_public') }}

),

operating_expenses as (

    select * from {{ ref('fct_operating_expenses') }}

),

staged_operating_expenses as (

    select * from {{ ref('stg_yusuan__operating_expenses') }}

),

budget_summary as (

    select * from {{ ref('stg_yusuan__budget_summary') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

summary_totals as (

    {% call keep_first(
        [
            'budget_summary.document_id',
            'budget_summary.side'
        ],
        [
            'budget_summary.page_number',
            'budget_summary.row_index'
        ]
    ) %}
    -- 收入总计 / 收入合计 and 支出总计 of the all-funds 收支总表: the totals the prose states
    -- (上年结转 and 年终结转结余 included: 北京's 统计局 states 收入预算 = 支出预算 51036.22 万元,
    -- its 支出总表 prints 本年支出 50927.95 and its 收支总表 年终结转结余 108.27), and the only
    -- ones where no all-funds function table prints the total (Jiangsu prints its function
    -- tables per fund: 财政拨款, 一般公共预算)
    select budget_summary.*
    from budget_summary
    where
        budget_summary.table_kind = 'all_funds'
        and budget_summary.line_kind = 'total'
        and budget_summary.amount_yuan is not null
    {% endcall %}

),

stated as (

    {% call keep_first(
        [
            'narrative_totals.document_id',
            'narrative_totals.item'
        ],
        [
            'narrative_totals.page_number',
            'narrative_totals.amount_yuan'
        ]
    ) %}
    -- an item stated on several pages is checked once: the first page wins
    select narrative_totals.*
    from narrative_totals
    {% endcall %}

),

stated_digits as (

    -- prose prints a number as short as it can ("3068万元", "566.1万元", "0.25万元"), with
    -- at most 2 decimals of its unit: one unit of its last printed digit, in yuan
    select
        stated.*,
        case
            when
                stated.amount_yuan
                % cast({{ last_digit_yuan(0, 'stated.amount_unit') }} as decimal(20, 2)) = 0
                then {{ last_digit_yuan(0, 'stated.amount_unit') }}
            when
                stated.amount_yuan
                % cast({{ last_digit_yuan(1, 'stated.amount_unit') }} as decimal(20, 2)) = 0
                then {{ last_digit_yuan(1, 'stated.amount_unit') }}
            else {{ last_digit_yuan(2, 'stated.amount_unit') }}
        end as digit_yuan
    from stated

),

function_totals as (

    -- the 合计 row of each function table (all_funds, general_public_budget): the one
    -- fct_expenditure_total keeps, as staged (its decimals and unit)
    select function_expenditure.*
    from expenditure_totals
    inner join function_expenditure
        on
            expenditure_totals.document_id = function_expenditure.document_id
            and expenditure_totals.table_index = function_expenditure.table_index
            and expenditure_totals.row_index = function_expenditure.row_index

),

basic_totals as (

    {% call keep_first(
        ['basic_expenditure.document_id'],
        [
            'basic_expenditure.page_number',
            'basic_expenditure.table_index',
            'basic_expenditure.row_index'
        ]
    ) %}
    -- the 合计 row of the basic-expenditure table by economic classification
    select basic_expenditure.*
    from basic_expenditure
    where basic_expenditure.row_kind = 'total'
    {% endcall %}

),

all_funds_totals as (

    select function_totals.*
    from function_totals
    where function_totals.budget_scope = 'all_funds'

),

candidates as (

    -- the table figures each narrative item can be checked against, by preference: the
    -- 收支总表's 收入总计 / 支出总计, else the all-funds function table's 合计
    select
        summary_totals.document_id,
        case
            when summary_totals.side = 'income' then 'income_total' else 'expenditure_total'
        end as item,
        1 as preference,
        summary_totals.amount_yuan as table_yuan,
        summary_totals.decimals,
        summary_totals.amount_unit,
        summary_totals.page_number
    from summary_totals

    union all

    select
        all_funds_totals.document_id,
        'income_total' as item,
        2 as preference,
        all_funds_totals.total_yuan as table_yuan,
        all_funds_totals.decimals,
        all_funds_totals.amount_unit,
        all_funds_totals.page_number
    from all_funds_totals

    union all

    select
        all_funds_totals.document_id,
        'expenditure_total' as item,
        2 as preference,
        all_funds_totals.total_yuan as table_yuan,
        all_funds_totals.decimals,
        all_funds_totals.amount_unit,
        all_funds_totals.page_number
    from all_funds_totals

    union all

    select
        all_funds_totals.document_id,
        'basic' as item,
        1 as preference,
        all_funds_totals.basic_yuan as table_yuan,
        all_funds_totals.decimals,
        all_funds_totals.amount_unit,
        all_funds_totals.page_number
    from all_funds_totals

    union all

    select
        all_funds_totals.document_id,
        'project' as item,
        1 as preference,
        all_funds_totals.project_yuan as table_yuan,
        all_funds_totals.decimals,
        all_funds_totals.amount_unit,
        all_funds_totals.page_number
    from all_funds_totals

    union all

    select
        all_funds_totals.document_id,
        'personnel' as item,
        1 as preference,
        all_funds_totals.personnel_yuan as table_yuan,
        all_funds_totals.decimals,
        all_funds_totals.amount_unit,
        all_funds_totals.page_number
    from all_funds_totals

    union all

    select
        all_funds_totals.document_id,
        'public' as item,
        1 as preference,
        all_funds_totals.public_yuan as table_yuan,
        all_funds_totals.decimals,
        all_funds_totals.amount_unit,
        all_funds_totals.page_number
    from all_funds_totals

    union all

    select
        function_totals.document_id,
        'general_public_budget' as item,
        1 as preference,
        function_totals.total_yuan as table_yuan,
        function_totals.decimals,
        function_totals.amount_unit,
        function_totals.page_number
    from function_totals
    where function_totals.budget_scope = 'general_public_budget'

    union all

    -- 人员经费 / 公用经费 where the function table does not print them: the 合计 of the
    -- basic-expenditure table
    select
        basic_totals.document_id,
        'personnel' as item,
        2 as preference,
        basic_totals.personnel_yuan as table_yuan,
        basic_totals.decimals,
        basic_totals.amount_unit,
        basic_totals.page_number
    from basic_totals

    union all

    select
        basic_totals.document_id,
        'public' as item,
        2 as preference,
        basic_totals.public_yuan as table_yuan,
        basic_totals.decimals,
        basic_totals.amount_unit,
        basic_totals.page_number
    from basic_totals

    union all

    -- only a table's "三公"经费 total checks the prose (prose against itself checks nothing)
    select
        three_public.document_id,
        'three_public' as item,
        1 as preference,
        three_public.amount_yuan as table_yuan,
        null as decimals,
        null as amount_unit,
        three_public.page_number
    from three_public
    where
        three_public.category = 'total'
        and three_public.source = 'table'

    union all

    -- 机关运行经费: the total of fct_operating_expenses (its own table's 合计, else the 三公
    -- table's column), printed with the decimals of its table
    select
        operating_expenses.document_id,
        'operating_expenses' as item,
        1 as preference,
        operating_expenses.amount_yuan as table_yuan,
        staged_operating_expenses.decimals,
        staged_operating_expenses.amount_unit,
        operating_expenses.page_number
    from operating_expenses
    inner join staged_operating_expenses
        on
            operating_expenses.document_id = staged_operating_expenses.document_id
            and operating_expenses.table_index = staged_operating_expenses.table_index
            and operating_expenses.row_index = staged_operating_expenses.row_index
    where operating_expenses.row_kind = 'total'

),

table_figures as (

    {% call keep_first(
        [
            'candidates.document_id',
            'candidates.item'
        ],
        ['candidates.preference']
    ) %}
    select candidates.*
    from candidates
    where candidates.table_yuan is not null
    {% endcall %}

),

figure_sources as (

    {% call keep_first(
        ['documents.document_id'],
        [
            'tables_documents.loaded_at desc nulls last',
            'tables_documents.document_id asc'
        ]
    ) %}
    -- whose tables a document's prose is compared with: its own, or for an explanatory
    -- document (prose only) those of the tables document of the same budget
    select
        documents.document_id,
        coalesce(tables_documents.document_id, documents.document_id) as tables_document_id
    from documents
    left join documents as tables_documents
        on
            documents.document_kind = 'explanatory'
            and tables_documents.document_kind = 'tables'
            and {{ department_key(
                'documents.department_name', 'documents.region', 'documents.province'
            ) }} = {{ department_key(
                'tables_documents.department_name',
                'tables_documents.region',
                'tables_documents.province'
            ) }}
            and documents.fiscal_year = tables_documents.fiscal_year
            and documents.budget_level is not distinct from tables_documents.budget_level
    {% endcall %}

),

compared as (

    select
        stated_digits.document_id,
        figure_sources.tables_document_id,
        stated_digits.item,
        stated_digits.amount_yuan as narrative_yuan,
        table_figures.table_yuan,
        stated_digits.amount_yuan - table_figures.table_yuan as difference_yuan,
        -- both figures are rounded: half a unit of the narrative's last printed digit plus
        -- half a unit of the table's (where its decimals are known), at least 1 yuan
        greatest(
            1,
            0.5 * coalesce(stated_digits.digit_yuan, 0)
            + 0.5 * coalesce(
                {{ last_digit_yuan('table_figures.decimals', 'table_figures.amount_unit') }},
                0
            )
        ) as tolerance_yuan,
        stated_digits.page_number,
        table_figures.page_number as table_page_number,
        stated_digits.sentence
    from stated_digits
    inner join figure_sources
        on stated_digits.document_id = figure_sources.document_id
    left join table_figures
        on
            figure_sources.tables_document_id = table_figures.document_id
            and stated_digits.item = table_figures.item

),

final as (

    select
        cast(compared.document_id as varchar) as document_id,
        cast(compared.tables_document_id as varchar) as tables_document_id,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(compared.item as varchar) as item,
        cast(compared.narrative_yuan as decimal(20, 2)) as narrative_yuan,
        cast(compared.table_yuan as decimal(20, 2)) as table_yuan,
        cast(compared.difference_yuan as decimal(20, 2)) as difference_yuan,
        cast(compared.tolerance_yuan as decimal(20, 2)) as tolerance_yuan,
        cast(abs(compared.difference_yuan) <= compared.tolerance_yuan as boolean)
            as within_rounding,
        cast(compared.page_number as integer) as page_number,
        cast(compared.table_page_number as integer) as table_page_number,
        cast(compared.sentence as varchar) as sentence
    from compared
    left join documents
        on compared.document_id = documents.document_id

)

select * from final
