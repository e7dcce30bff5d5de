with

function_expenditure as (

    select * from {{ ref('stg_yusuan__function_expenditure') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

function_classes as (

    select * from {{ ref('function_classes') }}

),

printed as (

    -- every well-formed code printed in a function table, with its document's year
    select
        function_expenditure.function_code,
        function_expenditure.name,
        documents.fiscal_year
    from function_expenditure
    left join documents
        on function_expenditure.document_id = documents.document_id
    where
        function_expenditure.row_kind = 'code'
        and {{ full_match('function_expenditure.function_code', '[0-9]{3}([0-9]{2}){0,2}') }}

),

printed_codes as (

    select distinct printed.function_code
    from printed

),

printed_names as (

    -- each distinct name a code was printed with, and the last year it was printed so
    select
        printed.function_code,
        printed.name,
        max(printed.fiscal_year) as last_fiscal_year
    from printed
    where printed.name is not null
    group by printed.function_code, printed.name

),

latest_names as (

    {% call keep_first(
        ['printed_names.function_code'],
        [
            'printed_names.last_fiscal_year desc nulls last',
            'printed_names.name asc'
        ]
    ) %}
    -- a code renamed between years keeps the name of its latest fiscal year
    select
        printed_names.function_code,
        printed_names.name
    from printed_names
    {% endcall %}

),

name_lists as (

    select
        printed_names.function_code,
        array_agg(
            printed_names.name
            order by printed_names.last_fiscal_year nulls first, printed_names.name
        ) as names
    from printed_names
    group by printed_names.function_code

),

ancestors as (

    -- the 类 of every 款 and 项, and the 款 of every 项: each must exist to roll up
    select left(printed_codes.function_code, 3) as function_code
    from printed_codes
    where length(printed_codes.function_code) in (5, 7)

    union

    select left(printed_codes.function_code, 5) as function_code
    from printed_codes
    where length(printed_codes.function_code) = 7

),

synthesised_codes as (

    -- ancestors no document printed (e.g. a table of 7-digit codes only)
    select ancestors.function_code
    from ancestors
    where not exists (
        select printed_codes.function_code
        from printed_codes
        where ancestors.function_code = printed_codes.function_code
    )

),

all_codes as (

    select
        printed_codes.function_code,
        true as is_printed
    from printed_codes

    union all

    select
        synthesised_codes.function_code,
        false as is_printed
    from synthesised_codes

),

final as (

    select
        all_codes.function_code,
        name_lists.names,
        all_codes.is_printed,
        case length(all_codes.function_code)
            when 3 then 1
            when 5 then 2
            when 7 then 3
        end as level,
        -- a 类 nobody printed (or printed without a name) takes the national name;
        -- a synthesised 款 has no name
        coalesce(
            latest_names.name,
            case
                when length(all_codes.function_code) = 3
                    then function_classes.class_name
            end
        ) as name,
        case length(all_codes.function_code)
            when 5 then left(all_codes.function_code, 3)
            when 7 then left(all_codes.function_code, 5)
        end as parent_code
    from all_codes
    left join latest_names
        on all_codes.function_code = latest_names.function_code
    left join name_lists
        on all_codes.function_code = name_lists.function_code
    left join function_classes
        on all_codes.function_code = function_classes.class_code

)

select * from final
