{#- One unit of the last printed digit, in yuan, for a figure printed in amount_unit with
    `decimals` decimals (e.g. 万元 with 2 decimals -> 100 yuan); null for an unknown unit.
    The units and their factors are the seed amount_units (extract/reference/amount_units.csv,
    which extraction reads too). -#}
{% macro last_digit_yuan(decimals, amount_unit) -%}
    power(10, -{{ decimals }})
    * (
        select amount_units.yuan_factor
        from {{ ref('amount_units') }} as amount_units
        where amount_units.amount_unit = {{ amount_unit }}
    )
{%- endmacro %}
