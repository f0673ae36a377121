"""The product catalogue of a synthetic company: a few dozen SKUs priced per country.

Prices are lognormal (many cheap items, a few expensive kits); member prices are a
discount on retail; PV follows the USD member price and BV is a share of PV, so some
volumes have decimals. One host-reward item carries no volume (not commissionable).
"""

from __future__ import annotations

import numpy as np

from fairtree.simulation.company import Products
from fairtree.simulation.synth_network import COUNTRIES, COUNTRY_CURRENCIES

# Price of one USD in each country's minor units, and the step prices are rounded to.
USD_CENTS_TO_MINOR = np.array([1.0, 1.35, 1.50])  # USD cents, CAD cents, whole JPY
PRICE_STEP = np.array([10, 10, 10])  # in minor units

PRODUCT_WORDS = np.array([
    "Shake", "Tea", "Serum", "Balm", "Cleanser", "Vitamin", "Bar", "Oil", "Cream", "Mask",
    "Tonic", "Bundle",
])  # fmt: skip
# each word's category (a bonus can pay on some categories only: ``paid_on``)
WORD_CATEGORIES = np.array([
    "nutrition", "nutrition", "skin", "skin", "skin", "nutrition", "nutrition", "oils",
    "skin", "skin", "skin", "kits",
])  # fmt: skip


def generate_catalogue(rng: np.random.Generator, skus: int = 24) -> Products:
    """``skus`` products (plus a host reward) with one price row per country."""
    retail_usd_cents = np.round(rng.lognormal(np.log(3500), 0.6, skus) / 10) * 10 - 10
    retail_usd_cents = np.maximum(retail_usd_cents, 490).astype(np.int64)
    member_usd_cents = (retail_usd_cents * 80 // 100 // 10) * 10
    pv = (member_usd_cents // 100) * 100  # whole points, in hundredths
    bv = pv * 75 // 100  # 75 % of PV, may carry decimals (e.g. 37.50)
    names = np.strings.add(
        np.strings.add(PRODUCT_WORDS[np.arange(skus) % len(PRODUCT_WORDS)], " No. "),
        (np.arange(skus) // len(PRODUCT_WORDS) + 1).astype(np.str_),
    )
    sku_ids = np.strings.add("SKU-", np.strings.zfill((np.arange(skus) + 1).astype(np.str_), 3))
    commissionable = np.ones(skus, dtype=bool)
    category = WORD_CATEGORIES[np.arange(skus) % len(PRODUCT_WORDS)]

    # The host reward: given to party hosts, sold at a token price, carries no volume.
    sku_ids = np.append(sku_ids, "HOST-GIFT")
    names = np.append(names, "Host Gift Set")
    retail_usd_cents = np.append(retail_usd_cents, 1000)
    member_usd_cents = np.append(member_usd_cents, 1000)
    pv = np.append(pv, 0)
    bv = np.append(bv, 0)
    commissionable = np.append(commissionable, False)
    category = np.append(category, "")

    countries = len(COUNTRIES)
    row_sku = np.repeat(np.arange(sku_ids.shape[0]), countries)  # sku-major rows
    row_country = np.tile(np.arange(countries), sku_ids.shape[0])

    def local(usd_cents: np.ndarray) -> np.ndarray:
        raw = usd_cents[row_sku] * USD_CENTS_TO_MINOR[row_country]
        step = PRICE_STEP[row_country]
        return (np.round(raw / step) * step).astype(np.int64)

    return Products(
        sku=sku_ids[row_sku],
        country=COUNTRIES[row_country],
        name=names[row_sku],
        currency=COUNTRY_CURRENCIES[row_country],
        retail_price=local(retail_usd_cents),
        member_price=local(member_usd_cents),
        pv=pv[row_sku].astype(np.int64),
        bv=bv[row_sku].astype(np.int64),
        commissionable=commissionable[row_sku],
        category=category[row_sku],
    )


def sellable_rows(products: Products) -> tuple[np.ndarray, np.ndarray]:
    """Commissionable SKU numbers and their popularity (Zipf-like: a few best sellers)."""
    countries = len(COUNTRIES)
    sku_count = len(products) // countries
    sellable = np.flatnonzero(products.commissionable[::countries])
    rank = np.arange(1, sellable.shape[0] + 1)
    popularity = 1.0 / rank
    assert sellable.shape[0] <= sku_count
    return sellable, popularity / popularity.sum()
