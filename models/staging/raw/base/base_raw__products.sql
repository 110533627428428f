{{ config(segmentation.raw_increment_config('products', 'product_id')) }}

{#- Field rules, in order: [contract column, reason, condition]. A rule on a required column
    quarantines the row; one on an optional column nulls that value (macro field_verdicts). -#}
{%- set field_rules = [
    ['product_id', 'missing_product_id', 'product_id is null'],
    ['product_id', 'duplicate_product_id', key_version_count('product_id') ~ ' > 1'],
    ['category', 'missing_category', 'category is null'],
    ['unit_cost', 'invalid_unit_cost', 'raw_unit_cost is not null and unit_cost_amount is null'],
    ['unit_cost', 'negative_unit_cost', 'unit_cost_amount < 0'],
] -%}

with

source as (
    select * from {{ source('raw', 'products') }}
),

raw_text as (
    select
        {{ raw_text_columns('products', 'source') }}
        {{ segmentation.raw_increment_columns('source') }}
    from source
    {{ segmentation.raw_increment_filter('source') }}
),

parsed as (
    select
        raw_text.*,
        raw_text.raw_product_id as product_id,
        raw_text.raw_product_name as product_name,
        lower(raw_text.raw_category) as category,
        lower(raw_text.raw_subcategory) as subcategory,
        lower(raw_text.raw_collection) as collection,
        raw_text.raw_brand as brand,
        {{ parse_decimal('raw_text.raw_unit_cost') }} as unit_cost_amount,
        {{ copy_number('products') }} as copy_number
    from raw_text
),

validated as (
    select
        *,
        copy_number > 1 as is_exact_duplicate,
        {{ field_verdicts('products', field_rules) }}
    from parsed
)

select * from validated
