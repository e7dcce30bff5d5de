{#
    A table printed more than once in a document (the department's set and a unit's, a
    table repeated on a later page) counts once: the rows of the first table (lowest
    table_index) of the document, or of each group `within` names (columns of `relation`).
    Used as `qualify {{ first_printed('procurement') }}`.
#}
{% macro first_printed(relation, within=[]) -%}
    {%- set columns = [relation ~ '.document_id'] -%}
    {%- for column in within %}{% do columns.append(relation ~ '.' ~ column) %}{% endfor -%}
    dense_rank() over (
        partition by {{ columns | join(', ') }}
        order by {{ relation }}.table_index
    ) = 1
{%- endmacro %}
