"""`/data`: every downloadable dataset, its parameters and its fields, from the registry."""

from __future__ import annotations

import dash
from dash import html

from dashboard.api.formats import FORMATS
from dashboard.api.links import download_links
from dashboard.ui.tables import table_region
from metrics import queries
from metrics.datasets import DATASETS, Dataset

dash.register_page(
    __name__,
    path="/data",
    title="Data and downloads – Service Standards Tracker",
    name="Data and downloads",
)

PARAMS = {
    "jurisdiction": "area slug, as in the league table's address (e.g. boston)",
    "organisation": "department slug, or several joined by commas",
    "month": "a month, YYYY-MM",
    "day": "a local calendar day, YYYY-MM-DD: the requests due that day",
    "service": "service slug, as in a daily standard page's address (e.g. street-light-outages)",
    "standard": "a standard id from the standards dataset",
    "peer_group": "a peer group id of the area (league: every group's rows when absent)",
    "from": "first month, YYYY-MM",
    "to": "last month, YYYY-MM",
    "source": "a catalog id from the sources dataset",
}


def fields_table(dataset: Dataset) -> html.Div:
    """The dataset's columns as an accessible table: name, type, unit and meaning."""
    head = html.Tr([html.Th(t, scope="col") for t in ("Field", "Type", "Unit", "Meaning")])
    rows = [
        html.Tr(
            [
                html.Th(html.Code(f.name), scope="row"),
                html.Td(f.type),
                html.Td(f.unit or "–"),
                html.Td(f.description),
            ]
        )
        for f in dataset.fields
    ]
    caption = f"Fields of {dataset.name}"
    parts = [html.Caption(caption), html.Thead(head), html.Tbody(rows)]
    table = html.Table(parts, className="table")
    return table_region(table, caption)


# "csv, .json or .parquet", from the one registry of formats.
ADDRESS_ENDINGS = ", .".join(list(FORMATS)[:-1]) + " or ." + list(FORMATS)[-1]


def dataset_section(dataset: Dataset) -> html.Section:
    """One dataset: what it holds, how to ask for part of it, and what each column means."""
    params = [html.Li([html.Code(p), f": {PARAMS[p]}"]) for p in dataset.params]
    return html.Section(
        [
            html.H2(f"{dataset.title} ({dataset.name})"),
            html.P(dataset.description),
            html.P(f"Address: /download/{dataset.name}.{ADDRESS_ENDINGS}", className="hint"),
            html.Ul(params) if params else html.P("It takes no parameters."),
            download_links(dataset.name, {}, f"all of {dataset.name}"),
            fields_table(dataset),
        ],
        className="dataset",
    )


def layout(**_unknown: str) -> html.Div:
    """Every dataset, in the registry's order."""
    return html.Div(
        [
            html.H1("Data and downloads"),
            html.P(
                "Every table on this site can be downloaded with exactly the view's parameters. "
                "Files are CSV (UTF-8 with a byte-order mark, so Excel keeps accents), JSON "
                "(paginated, with next links), Parquet, or Excel (typed columns, frozen header "
                "and an About sheet with the fields, status codes and licence). "
                "A value that can be missing has a "
                "*_status column beside it holding the GSS marker: [x] not available, "
                "[z] not applicable, [u] low reliability. Each file says its row count "
                "(X-Row-Count) and warehouse version (X-Warehouse-Version), and links its "
                "description and licence (Link)."
            ),
            html.H2("Follow new figures"),
            html.P("An Atom feed for each area and each organisation: an entry a period."),
            html.Ul(
                [
                    html.Li(
                        html.A(f"{row['jurisdiction']} (Atom)", href=f"/feed/{row['slug']}.atom")
                    )
                    for row in queries.jurisdictions().iter_rows(named=True)
                ]
            ),
            html.H2("What we did with each agency's files"),
            html.P("Each source's ledger: every file received and every row rejected, and why."),
            html.Ul(
                [
                    html.Li(html.A(row["title"], href=f"/data/source/{row['source_id']}"))
                    for row in queries.sources().iter_rows(named=True)
                ]
            ),
            html.P(
                [
                    html.A("Data package (Frictionless)", href="/download/datapackage.json"),
                    " · ",
                    html.A("OpenAPI description", href="/api/openapi.json"),
                ]
            ),
            *(dataset_section(d) for d in DATASETS.values()),
        ]
    )
