"""The Offtek shop, one package per part of the shop: catalog/, basket/, checkout/,
payments/, orders/, fraud/, fulfilment/, addresses/. Models (models/) and the staff admin
(admin/) stay where Django looks for them, one module per part."""
