with

source as (

    select * from {{ source('yusuan', 'tables') }}

),

renamed as (

    select

        ----------  ids
        document_id,
        table_index,

        ----------  lineage
        page_number,
        last_page_number,
        {{ clean_text('table_title') }} as table_title,

        ----------  strings
        family,
        -- what became of the table (extract.verdicts.TableOutcome); warehouses loaded
        -- before it was recorded: derived from the family and the empty flag
        coalesce(
            outcome,
            case
                when family is null then 'unrecognised'
                when cast(is_empty as boolean) then 'empty'
                else 'loaded'
            end
        ) as outcome,
        reason,
        unknown_columns,

        ----------  numerics
        row_count,

        ----------  booleans
        -- the loader's DDL may store the flag as varchar ('true' / 'false')
        cast(is_empty as boolean) as is_empty

    from source

)

select * from renamed
