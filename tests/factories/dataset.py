"""Acme's small dataset in canonical form (one text per file), for unit and database tests."""

from __future__ import annotations

SAMPLE_DATASET: dict[str, str] = {
    "company.csv": (
        "company_id,name,currency,country,period_kind,placement,matrix_width,binary_rule\n"
        'acme,"Acme, Inc.",USD,US,month,binary,,weaker_leg\n'
    ),
    "members.csv": (
        "member_id,sponsor_id,placement_parent_id,placement_position,joined_on,status,"
        "status_since,country,currency,display_name,identity_verified\n"
        "M1,,,,2026-01-01,active,2026-01-01,US,USD,Ann,true\n"
        'M2,M1,M1,L,2026-01-05,active,2026-01-05,US,USD,"Bob ""The Builder""",false\n'
        "M3,M1,M1,R,2026-01-06,inactive,2026-02-01,JP,JPY,Chie,true\n"
        'M4,M6,M2,L,2026-01-10,terminated,2026-03-01,US,USD,"Dee, Jr.",false\n'
        "M6,M2,M2,R,2026-01-08,active,2026-01-08,US,USD,Eve,false\n"
    ),
    "customers.csv": (
        "customer_id,member_id,name,country,created_on\n"
        "C1,M2,Carol,US,2026-01-20\n"
        'C2,M3,"Sato, Kenji",JP,2026-01-21\n'
    ),
    "products.csv": (
        "sku,country,name,currency,retail_price,member_price,pv,bv,commissionable,category\n"
        "SHAKE,US,Protein shake,USD,49.90,39.90,25.00,20.50,true,nutrition\n"
        "SHAKE,JP,Protein shake,JPY,5000,4200,25.00,20.50,true,nutrition\n"
        "GIFT,US,Host gift,USD,0.00,0.00,0.00,0.00,false,\n"
    ),
    "orders.csv": (
        "order_id,kind,placed_on,buyer_member_id,buyer_customer_id,country,currency,"
        "party_id,returns_order_id\n"
        "O1,order,2026-01-06,M1,,US,USD,,\n"
        "O2,order,2026-02-10,,C1,US,USD,P1,\n"
        "O3,subscription,2026-02-12,M3,,JP,JPY,,\n"
        "R1,return,2026-02-20,M1,,US,USD,,O1\n"
    ),
    "order_lines.csv": (
        "order_id,line_no,sku,quantity,unit_price,pv,bv\n"
        "O1,1,SHAKE,2,39.90,25.00,20.50\n"
        "O1,2,GIFT,1,0.00,0.00,0.00\n"
        "O2,1,SHAKE,1,49.90,25.00,20.50\n"
        "O3,1,SHAKE,3,4200,25.00,20.50\n"
        "R1,1,SHAKE,1,39.90,25.00,20.50\n"
    ),
    "parties.csv": (
        "party_id,consultant_member_id,host_customer_id,host_member_id,held_on\n"
        "P1,M2,C1,,2026-02-10\n"
    ),
    "plan.yaml": "plan: sample\nrounding: half_up\n",
}
