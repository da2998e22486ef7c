{#- The email as BI marts may show it, by the var `bi_email_mode`: `hash` (a salted hash of the
    address: joinable and countable, not readable), `mask` (first letter and domain: j***@acme.com)
    or `none` (null). Anything else stops the build with a message. -#}
{% macro bi_email(email_column) -%}
    {%- set mode = var('bi_email_mode') -%}
    {%- if mode == 'hash' -%}
        {{ dbt.hash(dbt.concat(["'" ~ var('email_hash_salt') ~ "'", email_column])) }}
    {%- elif mode == 'mask' -%}
        case
            when {{ email_column }} is not null
                then concat(substring({{ email_column }}, 1, 1), '***@', {{ dbt.split_part(email_column, "'@'", 2) }})
        end
    {%- elif mode == 'none' -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {%- do exceptions.raise_compiler_error(
            "var bi_email_mode must be one of hash, mask, none; got: " ~ mode
        ) -%}
    {%- endif -%}
{%- endmacro %}
