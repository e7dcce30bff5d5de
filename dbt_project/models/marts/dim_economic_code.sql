with

basic_expenditure as (

    select * from {{ ref('stg_yusuan__basic_expenditure') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

economic_classes as (

    select * from {{ ref('economic_classes') }}

),

printed as (

    -- every well-formed code printed in a basic-expenditure table, with its document's year
    select
        basic_expenditure.economic_code,
        basic_expenditure.economic_name as name,
        basic_expenditure.gov_economic_code,
        basic_expenditure.gov_economic_name,
        basic_expenditure.document_id,
        basic_expenditure.page_number,
        basic_expenditure.table_index,
        basic_expenditure.row_index,
        documents.fiscal_year,
        documents.loaded_at
    from basic_expenditure
    left join documents
        on basic_expenditure.document_id = documents.document_id
    where
        basic_expenditure.row_kind = 'code'
        and {{ full_match('basic_expenditure.economic_code', '[0-9]{3}([0-9]{2})?') }}

),

printed_codes as (

    select distinct printed.economic_code
    from printed

),

printed_names as (

    -- each distinct name a code was printed with, and the last year it was printed so
    select
        printed.economic_code,
        printed.name,
        max(printed.fiscal_year) as last_fiscal_year
    from printed
    where printed.name is not null
    group by printed.economic_code, printed.name

),

latest_names as (

    {% call keep_first(
        ['printed_names.economic_code'],
        [
            'printed_names.last_fiscal_year desc nulls last',
            'printed_names.name asc'
        ]
    ) %}
    -- a code renamed between years keeps the name of its latest fiscal year
    select
        printed_names.economic_code,
        printed_names.name
    from printed_names
    {% endcall %}

),

name_lists as (

    select
        printed_names.economic_code,
        array_agg(
            printed_names.name
            order by printed_names.last_fiscal_year nulls first, printed_names.name
        ) as names
    from printed_names
    group by printed_names.economic_code

),

gov_codes as (

    {% call keep_first(
        ['printed.economic_code'],
        [
            'printed.fiscal_year desc nulls last',
            'printed.loaded_at desc nulls last',
            'printed.document_id asc',
            'printed.page_number asc',
            'printed.table_index asc',
            'printed.row_index asc'
        ]
    ) %}
    -- the 政府经济分类 code and name printed beside the code in its latest document
    select
        printed.economic_code,
        printed.gov_economic_code,
        printed.gov_economic_name
    from printed
    where printed.gov_economic_code is not null
    {% endcall %}

),

item_parents as (

    -- the 款 of a 项 (7-digit) row no document printed (北京: 3021101 差旅费 without 30211):
    -- fct_basic_expenditure rolls such 项 rows up to it
    select distinct left(basic_expenditure.economic_code, 5) as economic_code
    from basic_expenditure
    where
        basic_expenditure.row_kind = 'code'
        and {{ full_match('basic_expenditure.economic_code', '[0-9]{7}') }}
        and not exists (
            select printed_codes.economic_code
            from printed_codes
            where left(basic_expenditure.economic_code, 5) = printed_codes.economic_code
        )

),

known_codes as (

    select printed_codes.economic_code from printed_codes

    union

    select item_parents.economic_code from item_parents

),

synthesised_codes as (

    -- the 类 of a 款 no document printed (a table of 款 rows only): every 款 rolls up
    select distinct left(known_codes.economic_code, 3) as economic_code
    from known_codes
    where
        length(known_codes.economic_code) = 5
        and not exists (
            select classes.economic_code
            from known_codes as classes
            where left(known_codes.economic_code, 3) = classes.economic_code
        )

),

all_codes as (

    select
        printed_codes.economic_code,
        true as is_printed
    from printed_codes

    union all

    select
        item_parents.economic_code,
        false as is_printed
    from item_parents

    union all

    select
        synthesised_codes.economic_code,
        false as is_printed
    from synthesised_codes

),

final as (

    select
        cast(all_codes.economic_code as varchar) as economic_code,
        cast(
            case length(all_codes.economic_code)
                when 3 then 1
                when 5 then 2
            end as integer
        ) as level,
        -- a 类 nobody printed (or printed without a name) takes the national name
        cast(
            coalesce(
                latest_names.name,
                case
                    when length(all_codes.economic_code) = 3
                        then economic_classes.class_name
                end
            ) as varchar
        ) as name,
        cast(
            case
                when length(all_codes.economic_code) = 5
                    then left(all_codes.economic_code, 3)
            end as varchar
        ) as parent_code,
        cast(gov_codes.gov_economic_code as varchar) as gov_economic_code,
        cast(gov_codes.gov_economic_name as varchar) as gov_economic_name,
        cast(name_lists.names as varchar[]) as names,
        cast(all_codes.is_printed as boolean) as is_printed
    from all_codes
    left join latest_names
        on all_codes.economic_code = latest_names.economic_code
    left join name_lists
        on all_codes.economic_code = name_lists.economic_code
    left join gov_codes
        on all_codes.economic_code = gov_codes.economic_code
    left join economic_classes
        on all_codes.economic_code = economic_classes.class_code

)

select * from final
