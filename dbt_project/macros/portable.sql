{#- What DuckDB and PostgreSQL write differently, written once. Each macro dispatches
    (adapter.dispatch) to its default__ implementation, DuckDB's SQL (the embedded
    default, rendered exactly as the models wrote it before), or to its postgres__ one
    (the `postgres` target of profiles.yml: BI's copy, the parity test). The models keep
    to SQL both understand everywhere else. sqlfluff lints the default__ SQL (.sqlfluff).

    PostgreSQL sorts text by its database's collation: a database created with
    LC_COLLATE 'C' (or C.UTF-8) sorts as DuckDB does, code point by code point, which the
    models' tie-breaks by name rely on for equal marts. -#}


{#- The rows of a select that come first in their group: on DuckDB the select with
    `qualify row_number() over (partition by ... order by ...) = 1`; on PostgreSQL the
    same select as `select distinct on (...) ... order by ...`. A call block around one
    select (no union, no distinct, no order by of its own):
        {% call keep_first(['t.document_id'], ['t.page_number']) %} select ... {% endcall %} -#}
{% macro keep_first(partition_by, order_by) -%}
    {{- return(adapter.dispatch('keep_first', 'yusuan')(caller(), partition_by, order_by)) -}}
{%- endmacro %}

{% macro default__keep_first(select, partition_by, order_by) -%}
    {{ select | trim }}
    qualify
        row_number() over (
            partition by {{ partition_by | join(', ') }}
            order by {{ order_by | join(', ') }}
        ) = 1
{%- endmacro %}

{% macro postgres__keep_first(select, partition_by, order_by) -%}
    {#- the comments that lead the select stay before it -#}
    {%- set parts = modules.re.match('((?:\\s*--[^\\n]*\\n)*)\\s*(.*)', select, modules.re.S) -%}
    {%- set body = parts.group(2) | trim -%}
    {%- if body[:6] | lower != 'select' or body[:15] | lower == 'select distinct' -%}
        {{ exceptions.raise_compiler_error('keep_first wraps one select: ' ~ body[:60]) }}
    {%- endif -%}
    {{ parts.group(1) | trim }}
    select distinct on ({{ partition_by | join(', ') }}){{ body[6:] }}
    order by {{ (partition_by + order_by) | join(', ') }}
{%- endmacro %}


{#- A table printed more than once in a document (the department's set and a unit's, a
    table repeated on a later page) counts once: the rows of the first table (lowest
    table_index) of the document, or of each group `within` names (columns of `relation`,
    the one relation the select reads). A call block around `select relation.* ...`. -#}
{% macro first_printed(relation, within=[]) -%}
    {{- return(adapter.dispatch('first_printed', 'yusuan')(caller(), relation, within)) -}}
{%- endmacro %}

{% macro default__first_printed(select, relation, within) -%}
    {%- set columns = [relation ~ '.document_id'] -%}
    {%- for column in within %}{% do columns.append(relation ~ '.' ~ column) %}{% endfor -%}
    {{ select | trim }}
    qualify
        dense_rank() over (
            partition by {{ columns | join(', ') }}
            order by {{ relation }}.table_index
        ) = 1
{%- endmacro %}

{% macro postgres__first_printed(select, relation, within) -%}
    {%- set grouped = [] -%}
    {%- set matched = [] -%}
    {%- for column in ['document_id'] + within -%}
        {%- do grouped.append('printed.' ~ column) -%}
    {%- endfor -%}
    {%- for column in ['document_id'] + within + ['table_index'] -%}
        {%- do matched.append('printed.' ~ column ~ ' is not distinct from firsts.' ~ column) -%}
    {%- endfor -%}
    with printed as (
        {{ select | trim }}
    ),

    firsts as (
        select
            {{ grouped | join(', ') }},
            min(printed.table_index) as table_index
        from printed
        group by {{ grouped | join(', ') }}
    )

    select printed.*
    from printed
    inner join firsts
        on {{ matched | join(' and ') }}
{%- endmacro %}


{#- The value of `value` on the row where `key` is least, of the rows `where` keeps; as
    DuckDB's min_by, rows where `value` or `key` is null do not count. -#}
{% macro min_by(value, key, where=none) -%}
    {{- return(adapter.dispatch('min_by', 'yusuan')(value, key, where)) -}}
{%- endmacro %}

{% macro default__min_by(value, key, where) -%}
    min_by({{ value }}, {{ key }}){% if where %} filter (
            where {{ where }}
        ){% endif %}
{%- endmacro %}

{% macro postgres__min_by(value, key, where) -%}
    (array_agg({{ value }} order by {{ key }}) filter (
        where {{ value }} is not null and {{ key }} is not null{% if where %} and ({{ where }}){% endif %}
    ))[1]
{%- endmacro %}


{#- True if `pattern` matches the whole of `text`. -#}
{% macro full_match(text, pattern) -%}
    {{- return(adapter.dispatch('full_match', 'yusuan')(text, pattern)) -}}
{%- endmacro %}

{% macro default__full_match(text, pattern) -%}
    regexp_full_match({{ text }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__full_match(text, pattern) -%}
    ({{ text }} ~ '^(?:{{ pattern }})$')
{%- endmacro %}


{#- Regular-expression classes of clean_text: `space`, the spaces a cell may print (ASCII
    white space, no-break, ideographic); `cjk`, a CJK character (Han, CJK punctuation,
    full-width forms). PostgreSQL knows no \p{Han}: its ranges are the Han blocks. -#}
{% macro text_classes() -%}
    {{- return(adapter.dispatch('text_classes', 'yusuan')()) -}}
{%- endmacro %}

{% macro default__text_classes() -%}
    {{- return({
        'space': '[\\s\\x{00a0}\\x{3000}]',
        'cjk': '[\\p{Han}\\x{3000}-\\x{303f}\\x{ff00}-\\x{ffef}]',
    }) -}}
{%- endmacro %}

{% macro postgres__text_classes() -%}
    {{- return({
        'space': '[\\t\\n\\f\\r \\u00a0\\u3000]',
        'cjk': '[\\u2e80-\\u2fdf\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff'
            ~ '\\uff00-\\uffef\\U00020000-\\U0003134f]',
    }) -}}
{%- endmacro %}


{#- The rows of `model` whose `columns` together occur more than once (nulls equal), of
    those `where` keeps: the failing rows of the unique tests, whole. -#}
{% macro rows_sharing(model, columns, where=none) -%}
    {{- return(adapter.dispatch('rows_sharing', 'yusuan')(model, columns, where)) -}}
{%- endmacro %}

{% macro default__rows_sharing(model, columns, where) -%}
    {%- set filtered = 'where ' ~ where if where else '' -%}
    select *
    from {{ model }}
    {{ filtered }}
    qualify count(*) over (partition by {{ columns | join(', ') }}) > 1
{%- endmacro %}

{% macro postgres__rows_sharing(model, columns, where) -%}
    {%- set matched = [] -%}
    {%- for column in columns -%}
        {%- do matched.append(
            'shared_rows.' ~ column ~ ' is not distinct from shared.' ~ column
        ) -%}
    {%- endfor -%}
    select shared_rows.*
    from {{ model }} as shared_rows
    inner join (
        select {{ columns | join(', ') }}
        from {{ model }}{{ ' where ' ~ where if where }}
        group by {{ columns | join(', ') }}
        having count(*) > 1
    ) as shared
        on {{ matched | join(' and ') }}
{%- endmacro %}
