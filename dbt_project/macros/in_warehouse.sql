{#- The documents whose rows belong in the warehouse, by their audit: those whose latest
    loading verdict (var loading_statuses) is newer than their latest removing one (var
    removing_reasons). The invariants (tests/invariants/) compare the rows with it. -#}
{% macro in_warehouse() -%}
    select
        document_id,
        min(file_name) as file_name
    from (
        select
            document_id,
            file_name,
            first_value(status) over (
                partition by document_id
                order by checked_at desc nulls last
            ) as last_status
        from {{ source('audit', 'document_loads') }}
        where
            document_id is not null
            and (
                status in ({{ "'" ~ var('loading_statuses') | join("', '") ~ "'" }})
                or reason in ({{ "'" ~ var('removing_reasons') | join("', '") ~ "'" }})
            )
    ) as verdicts
    where last_status in ({{ "'" ~ var('loading_statuses') | join("', '") ~ "'" }})
    group by document_id
{%- endmacro %}
