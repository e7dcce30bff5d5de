-- Asserts "三公" total = overseas_travel + reception + vehicle_total per document, within rounding.
with

three_public as (

    select * from {{ ref('fct_three_public') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

function_expenditure as (

    select * from {{ ref('stg_yusuan__function_expenditure') }}

),

basic_expenditure as (

    select * from {{ ref('stg_yusuan__basic_expenditure') }}

),

printed_digits as (

    -- the "三公" rows carry no decimals: a document's tables print alike, so take the
    -- coarsest last printed digit of its budget tables, in yuan
    select
        budget_rows.document_id,
        max(
            {{ last_digit_yuan('budget_rows.decimals', 'budget_rows.amount_unit') }}
        ) as digit_yuan
    from (
        select
            function_expenditure.document_id,
            function_expenditure.decimals,
            function_expenditure.amount_unit
        from function_expenditure

        union all

        select
            basic_expenditure.document_id,
            basic_expenditure.decimals,
            basic_expenditure.amount_unit
        from basic_expenditure
    ) as budget_rows
    group by budget_rows.document_id

),

by_document as (

    select
        three_public.document_id,
        sum(three_public.amount_yuan) filter (
            where three_public.category = 'total'
        ) as total_yuan,
        coalesce(
            sum(three_public.amount_yuan) filter (
                where three_public.category = 'overseas_travel'
            ),
            0
        ) as overseas_travel_yuan,
        coalesce(
            sum(three_public.amount_yuan) filter (where three_public.category = 'reception'),
            0
        ) as reception_yuan,
        -- the vehicle total where printed, else its two parts
        coalesce(
            sum(three_public.amount_yuan) filter (
                where three_public.category = 'vehicle_total'
            ),
            sum(three_public.amount_yuan) filter (
                where three_public.category in ('vehicle_purchase', 'vehicle_operation')
            ),
            0
        ) as vehicle_yuan,
        count(*) filter (where three_public.category != 'total') as n_parts
    from three_public
    group by three_public.document_id

)

select
    by_document.document_id,
    by_document.total_yuan,
    by_document.overseas_travel_yuan,
    by_document.reception_yuan,
    by_document.vehicle_yuan,
    -- four rounded figures: half a unit of the last printed digit each (2 units), at
    -- least 1 yuan; 2 decimals of the document's unit when no table says
    greatest(
        1,
        2 * coalesce(
            printed_digits.digit_yuan,
            {{ last_digit_yuan(2, 'documents.amount_unit') }},
            1
        )
    ) as tolerance_yuan
from by_document
left join printed_digits
    on by_document.document_id = printed_digits.document_id
left join documents
    on by_document.document_id = documents.document_id
where
    by_document.total_yuan is not null
    and by_document.n_parts > 0
    and abs(
        by_document.total_yuan
        - by_document.overseas_travel_yuan
        - by_document.reception_yuan
        - by_document.vehicle_yuan
    )
    > greatest(
        1,
        2 * coalesce(
            printed_digits.digit_yuan,
            {{ last_digit_yuan(2, 'documents.amount_unit') }},
            1
        )
    )
