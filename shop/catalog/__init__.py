"""The catalog, the reason the shop exists: the module list, a module's page, the
memory finder and search (views, forms, selectors), staff's bulk writes to modules
(services, the one path for every stock change) and the caches of catalog pages
(cache: result lists and fragments per catalog version; page_cache: whole anonymous
pages)."""
