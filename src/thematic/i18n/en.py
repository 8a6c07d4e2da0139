"""English output strings (the reference catalogue: every other language has exactly these keys)."""

LOCALE = "en-GB"  # Word's w:lang and the Babel locale for numbers
QUOTES = ("“", "”")

STRINGS = {
    # headings
    "title": "Thematic analysis: {name}",
    "h_method": "Method",
    "h_codebook": "Codebook",
    "h_tables": "Case comparisons",
    "h_figures": "Figures",
    "h_quotes": "Quotes per theme",
    "h_memos": "Memos",
    # caption labels (Word SEQ fields) and captions
    "caption_table": "Table",
    "caption_figure": "Figure",
    "cap_codebook": "Codes and definitions",
    "cap_matrix_case_theme_coverage": "Coverage: share of informant words coded with each theme (%)",
    "cap_matrix_case_theme_count": "Coded passages per case and theme",
    "cap_matrix_case_theme_presence": "Theme present in the case (1) or not (0)",
    "cap_matrix_case_theme_informants": "Informants who spoke about each theme",
    "cap_matrix_case_type_theme_coverage": "Municipalities and networks: coverage per theme (%)",
    "cap_matrix_informant_theme_count": "Coded passages per informant and theme",
    "cap_frequencies_theme": "Theme frequencies across the corpus",
    "cap_cooccurrence_theme_c": "Theme co-occurrence (c-coefficient; the diagonal is left out)",
    "fig_coverage_heatmap": "Coverage of each theme per case (% of informant words)",
    "fig_count_heatmap": "Coded passages per case and theme",
    "fig_prevalence_bars": "Theme prevalence per case (coverage %)",
    "fig_case_type_heatmap": "Municipalities and networks (coverage %)",
    "fig_cooccurrence_heatmap": "Theme co-occurrence (c-coefficient; the diagonal is left out)",
    "fig_saturation_curve": "New codes per interview (saturation)",
    # table headers and axis labels (column names are never shown as such)
    "col_code": "Code",
    "col_label": "Label",
    "col_definition": "Definition",
    "col_theme": "Theme",
    "col_case": "Case",
    "col_case_type": "Type of case",
    "col_informant": "Informant",
    "col_doc_id": "Interview",
    "col_codings": "Codings",
    "col_passages": "Passages",
    "col_segments": "Segments",
    "col_documents": "Interviews",
    "col_cases": "Cases",
    "col_informants": "Informants",
    "col_words": "Words coded",
    "col_coverage": "Coverage (%)",
    "ax_coverage": "coverage (% of informant words)",
    "ax_interview_order": "interview (in order)",
    "ax_codes": "codes",
    "legend_new_codes": "new codes",
    "legend_cumulative": "cumulative codes",
    "value_municipality": "municipality",
    "value_network": "network",
    # the Method section
    "method_corpus": "Corpus: {documents} interviews with {informants} informants from {cases} cases ({case_list}); "
                     "languages: {languages}.",
    "method_codebook": "Codebook: {name}, version {version}, with {themes} themes and {codes} codes.",
    "method_coding": "Coding: rules from the codebook applied to informant speech, one coding per {unit} and code "
                     "({rule} rule codings); codings by people: {people}. Coders: {coders}.",
    "method_coverage": "Coverage is the share of informant words in passages coded with a theme; counts are "
                       "distinct coded passages.",
    "method_language": "Code labels and definitions are given in English; those marked [xx] exist only in the "
                       "language xx.",
    "unit_sentence": "sentence",
    "unit_turn": "turn",
    "unit_paragraph": "paragraph",
    # quote references and memos
    "ref_line": "line {a}",
    "ref_lines": "lines {a}–{b}",
    "ref_paragraph": "paragraph {a}",
    "ref_paragraphs": "paragraphs {a}–{b}",
    "ref_page": "p. {a}",
    "ref_pages": "pp. {a}–{b}",
    "ref_informant": "informant",
    "no_definition": "(no definition)",
    "memo_project": "The project",
    "memo_document": "Interview {doc}",
    "memo_by": "{author}, {date}",
}
