"""Markets: where the shop sells, each a country with its currency and price list.

`rules` holds the markets as data, `selectors` finds the market of a request, `services`
records the shopper's choice, `views` is the header's control, `layout` hands the
market to every template. No amount is ever converted from one currency to another:
each market reads its own price column of the catalog.
"""
