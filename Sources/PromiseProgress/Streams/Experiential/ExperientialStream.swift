import GRDB

/// What children and young people say: answers to the "Your life, your care" survey, their comments
/// and how many were invited. Restricted: answers and comments never reach a published file; only
/// disclosure-controlled counts of respondents and redacted, consented quotes do.
extension DataStream {
    public static let experiential = DataStream(
        id: "experiential",
        title: "Survey responses: what children and young people say",
        summary: """
        Up to four CSV files under `<input>/experiential/` (the embedded default is `Data/experiential/`), each
        optional: one row per answer, one row per free-text comment, how many were invited, and a reviewer's
        decision on each quote's redacted text (without it no quote is published). The survey has
        three age-appropriate versions (4 to 7, 8 to 11 and 11 to 17; `seeds/survey.csv`); its questions and
        answer scales are in `seeds/survey_question.csv` and `seeds/survey_answer_scale.csv`. Unit of
        disclosure: respondents. Answers and comments are restricted: only disclosure-controlled counts of
        respondents (no group of fewer than 10) and redacted quotes given with consent are published.
        """,
        unitOfDisclosure: .respondents,
        files: [ExperientialStream.responses, ExperientialStream.comments, ExperientialStream.invited, ExperientialStream.quoteReview],
        checks: [
            SetCheck(table: "survey_response", rule: "question_not_in_survey", sql: sql(PackageResources.response_question_survey_sql),
                     description: "A question is answered only in the survey version it belongs to (`seeds/survey_question.csv`)."),
            SetCheck(table: "survey_response", rule: "answer_not_on_scale", sql: sql(PackageResources.response_answer_scale_sql),
                     description: "An answer is one of its question's scale (`seeds/survey_answer_scale.csv`)."),
            SetCheck(table: "survey_response", rule: "age_group_mismatch", sql: sql(PackageResources.response_age_group_sql),
                     description: "The respondent's age group is the one the survey version is for (`seeds/survey.csv`)."),
            SetCheck(table: "survey_response", rule: "respondent_inconsistent", sql: sql(PackageResources.response_respondent_consistent_sql),
                     description: "Every answer of one respondent in one wave gives the same council area, age group, sex and placement type as the first; a row that differs is rejected."),
            SetCheck(table: "survey_comment", rule: "orphan", sql: sql(PackageResources.comment_respondent_sql),
                     description: "A comment belongs to an accepted answer (same survey, wave, respondent and question in `responses.csv`)."),
            SetCheck(table: "survey_invited", rule: "age_group_mismatch", sql: sql(PackageResources.invited_age_group_sql),
                     description: "The age group invited is the one the survey version is for."),
            SetCheck(table: "survey_invited", rule: "fewer_invited_than_answered", sql: sql(PackageResources.invited_fewer_than_answered_sql),
                     description: "No more children answered than were invited (the row is rejected and that group's response rate is not available; the answers are kept)."),
        ],
        derivedTables: ExperientialStream.derived,
        seedTables: ExperientialStream.seeds,
        sqlFunctions: [{ db in try CommentRedactor.load(from: db).sqlFunction }, { _ in CommentRedactor.sha256Function }],
        personalColumns: ["respondent_id"],
        notes: """
        "Don't know" and "prefer not to say" are answers like any other on input; they have no `is_positive`
        in the scale, so `survey_answer.favourable` is NULL for them: they are counted and shown, and kept
        out of every denominator. The life satisfaction scale (0 to 10) has its low-wellbeing cut-off in
        the scale: 0 to 4 is low.

        A comment is published only when `consent_to_quote` is `yes`, at least 10 respondents answered
        that survey version in that wave, and a reviewer approved its exact redacted text in `quote-review.csv`
        (`redacted_sha256` is the SHA-256 of that text; a text that changed since, because the comment, the
        redaction lists or the redactor changed, needs review again). Redaction replaces listed given names
        (`seeds/redaction_term.csv`), e-mail addresses, phone numbers and numbers written in words, postcodes,
        street addresses, council areas, places, units and schools by a word in brackets, and denies by
        default: any other capitalised word is taken out as a name unless it is on the allow list
        (`seeds/redaction_allow.csv`) or starts a sentence and is an everyday word (a lower-case entry of
        `/usr/share/dict/british-english`, Debian's `wbritish`; the build stops, naming that path, when it is
        missing). Every quote that could be published but is not approved is listed, with its redacted text
        and hash, in `quotes-for-review.csv` beside the restricted store. Without `quote-review.csv` no quote
        is published and the build warns. One text is published once; a text given in more than one age
        group is attributed to none (`age_group` `several`). A quote is attributed by age group only.
        """)
}

/// The files and tables of ``DataStream/experiential``.
public enum ExperientialStream {

    public static let responses = StreamFile(
        location: .file("experiential/responses.csv"),
        required: false,
        table: "survey_response", childLevel: true,
        description: "One row per answer to the survey (experiential/responses.csv after validation). Restricted: never published. (survey_id, wave, respondent_id, question_id) is unique (index survey_response_key).",
        indexes: ["CREATE INDEX survey_response_respondent ON survey_response(survey_id, wave, respondent_id)"],
        columns: [
            InputColumn("survey_id", .seedCode("survey"), "survey version", sql: "NOT NULL REFERENCES survey(survey_id)", "Survey version."),
            InputColumn("wave", .period, "survey wave, e.g. `sw2025`", constraint: "a survey_wave period", sql: "NOT NULL REFERENCES period(period_id)", "Survey wave (a survey_wave period)."),
            InputColumn("respondent_id", .identity, "the respondent", constraint: "one description per survey and wave", sql: "NOT NULL", "Respondent identifier, unique within survey and wave."),
            InputColumn("la_code", .councilArea, "council area looking after the respondent", sql: "NOT NULL REFERENCES geography(geography_code)", "Council area looking after the respondent (current GSS code)."),
            InputColumn("age_group", .code("survey_age_group"), "age group", constraint: "the survey version's", sql: "NOT NULL", "Code from codelist 'survey_age_group'."),
            InputColumn("sex", .code("sex"), "sex", sql: "NOT NULL", "Code from codelist 'sex'."),
            InputColumn("placement_type", .placementType, "where the respondent lives", sql: "NOT NULL REFERENCES placement_type(placement_type_code)", "Where the respondent lives."),
            InputColumn("question_id", .seedCode("survey_question"), "question answered", constraint: "of this survey version", sql: "NOT NULL REFERENCES survey_question(question_id)", "Question answered."),
            InputColumn("answer", .identifier, "answer code", constraint: "on the question's scale", sql: "NOT NULL", "Answer code from the question's scale."),
        ],
        key: ["survey_id", "wave", "respondent_id", "question_id"],
        rowRules: [waveRule])

    public static let comments = StreamFile(
        location: .file("experiential/comments.csv"),
        required: false,
        table: "survey_comment", childLevel: true,
        description: "One row per free-text comment (experiential/comments.csv after validation), unredacted. Restricted: never published; survey_quote holds the redacted text. (survey_id, wave, respondent_id, question_id) is unique (index survey_comment_key).",
        columns: [
            InputColumn("survey_id", .seedCode("survey"), "survey version", sql: "NOT NULL REFERENCES survey(survey_id)", "Survey version."),
            InputColumn("wave", .period, "survey wave", constraint: "a survey_wave period", sql: "NOT NULL REFERENCES period(period_id)", "Survey wave."),
            InputColumn("respondent_id", .identity, "the respondent", constraint: "with an accepted answer to the question", sql: "NOT NULL", "Respondent."),
            InputColumn("question_id", .seedCode("survey_question"), "question the comment was given with", sql: "NOT NULL REFERENCES survey_question(question_id)", "Question the comment was given with."),
            InputColumn("comment", .freeText, "the comment as written", sql: "", "The comment as written (may hold names and contact details)."),
            InputColumn("consent_to_quote", .code("consent_to_quote"), "whether the respondent agreed to be quoted", sql: "NOT NULL", "Code from codelist 'consent_to_quote'."),
        ],
        key: ["survey_id", "wave", "respondent_id", "question_id"],
        rowRules: [waveRule],
        allowsLineBreaks: true)

    public static let invited = StreamFile(
        location: .file("experiential/invited.csv"),
        required: false,
        table: "survey_invited", childLevel: true,
        description: "How many children and young people were invited to each survey version, by wave, council area and age group (experiential/invited.csv after validation). Restricted: response rates are published through disclosure control. (survey_id, wave, la_code, age_group) is unique (index survey_invited_key).",
        columns: [
            InputColumn("survey_id", .seedCode("survey"), "survey version", sql: "NOT NULL REFERENCES survey(survey_id)", "Survey version."),
            InputColumn("wave", .period, "survey wave", constraint: "a survey_wave period", sql: "NOT NULL REFERENCES period(period_id)", "Survey wave."),
            InputColumn("la_code", .councilArea, "council area", sql: "NOT NULL REFERENCES geography(geography_code)", "Council area."),
            InputColumn("age_group", .code("survey_age_group"), "age group", constraint: "the survey version's", sql: "NOT NULL", "Code from codelist 'survey_age_group'."),
            InputColumn("invited", .count, "number invited", type: "INTEGER", sql: "NOT NULL", "Number invited."),
        ],
        key: ["survey_id", "wave", "la_code", "age_group"],
        rowRules: [waveRule])

    /// A person's decision on each quote's exact redacted text. Optional: without it no quote is
    /// published (the build warns and lists every quote awaiting review).
    public static let quoteReviewPath = "experiential/quote-review.csv"
    public static let quoteReview = StreamFile(
        location: .file(quoteReviewPath),
        required: false,
        table: "quote_review", childLevel: true,
        description: "A reviewer's decision on each comment's redacted text (experiential/quote-review.csv after validation). A quote is published only when the row for its comment says approved and its redacted_sha256 is the SHA-256 of the redacted text exactly as it would be published: a changed text is not approved. Restricted: it names respondents. (survey_id, wave, respondent_id, question_id) is unique (index quote_review_key).",
        columns: [
            InputColumn("survey_id", .seedCode("survey"), "survey version", sql: "NOT NULL REFERENCES survey(survey_id)", "Survey version."),
            InputColumn("wave", .period, "survey wave", constraint: "a survey_wave period", sql: "NOT NULL REFERENCES period(period_id)", "Survey wave."),
            InputColumn("respondent_id", .identity, "the respondent whose comment it is", sql: "NOT NULL", "Respondent."),
            InputColumn("question_id", .seedCode("survey_question"), "question the comment was given with", sql: "NOT NULL REFERENCES survey_question(question_id)", "Question the comment was given with."),
            InputColumn("redacted_sha256", .identifier, "SHA-256 of the redacted text the reviewer read (UTF-8 bytes, 64 hex digits), as `quotes-for-review.csv` gives it", constraint: "64 hex digits", sql: "NOT NULL", "SHA-256 (64 hex digits) of the redacted text the reviewer read, as UTF-8 bytes."),
            InputColumn("decision", .code("quote_review_decision"), "`approved` or `rejected`", sql: "NOT NULL", "Code from codelist 'quote_review_decision': approved or rejected."),
            InputColumn("reviewer", .identifier, "who decided", sql: "NOT NULL", "Who decided (a name or role)."),
            InputColumn("reviewed_on", .date, "date of the decision", sql: "NOT NULL", "Date of the decision (ISO)."),
        ],
        key: ["survey_id", "wave", "respondent_id", "question_id"],
        rowRules: [waveRule, RowRule("redacted_sha256 is 64 hexadecimal digits.") { row, _ in
            guard let hash = row["redacted_sha256"], hash.utf8.count != 64 || !hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }) else { return [] }
            return [FieldProblem(column: "redacted_sha256", value: hash, rule: "invalid_sha256",
                                 reason: "expected the SHA-256 of the redacted text as 64 hexadecimal digits (copy it from quotes-for-review.csv), found '\(hash)'")]
        }])

    static let waveRule = RowRule("A wave is a survey_wave period (seeds/period.csv).") { row, reference in
        guard let wave = row["wave"], reference.periods[wave] != "survey_wave" else { return [] }
        return [FieldProblem(column: "wave", value: wave, rule: "unknown_code",
                             reason: "expected a survey wave such as sw2025, found period \(wave) (\(reference.periods[wave]?.replacingOccurrences(of: "_", with: " ") ?? "unknown"))")]
    }

    static let seeds: [TableSpec] = [
        TableSpec("survey", kind: .reference, description: "Versions of the \"Your life, your care\" survey, one per age group (seeds/survey.csv).", columns: [
            ColumnSpec("survey_id", "TEXT", "PRIMARY KEY", "Survey version code."),
            ColumnSpec("title", "TEXT", "NOT NULL", "Title."),
            ColumnSpec("age_group", "TEXT", "NOT NULL", "The age group it is written for (codelist survey_age_group)."),
            ColumnSpec("description", "TEXT", "NOT NULL", "How this version differs."),
            ColumnSpec("sort_order", "INTEGER", "NOT NULL", "Order in which versions are listed."),
        ]),
        TableSpec("survey_question", kind: .reference, description: "The question bank (seeds/survey_question.csv): each question's survey version, wording, answer scale, foundation, SHANARRI wellbeing indicator and polarity. Questions asking the same thing in different versions share a topic.", columns: [
            ColumnSpec("question_id", "TEXT", "PRIMARY KEY", "Question code."),
            ColumnSpec("survey_id", "TEXT", "NOT NULL REFERENCES survey(survey_id)", "Survey version it is asked in."),
            ColumnSpec("wording", "TEXT", "NOT NULL", "The question as asked."),
            ColumnSpec("scale_id", "TEXT", "NOT NULL", "Answer scale (survey_answer_scale.scale_id)."),
            ColumnSpec("foundation", "TEXT", "NOT NULL REFERENCES foundation(foundation_id)", "Foundation the question gives evidence on."),
            ColumnSpec("wellbeing_indicator", "TEXT", "NOT NULL", "SHANARRI wellbeing indicator: safe, healthy, achieving, nurtured, active, respected, responsible or included."),
            ColumnSpec("polarity", "TEXT", "NOT NULL", "positive when a positive answer is good; negative when the question is worded so that it is not (the answer is then reversed in survey_answer.favourable)."),
            ColumnSpec("topic", "TEXT", "NOT NULL", "What is asked, the same across versions; indicators count by topic."),
        ]),
        TableSpec("survey_answer_scale", kind: .reference, description: "Answer scales (seeds/survey_answer_scale.csv). is_positive is 1 for a positive answer, 0 for another, empty for don't know and prefer not to say (kept out of denominators). The 0 to 10 life satisfaction scale counts 0 to 4 as low.", columns: [
            ColumnSpec("scale_id", "TEXT", "NOT NULL", "Scale code."),
            ColumnSpec("answer", "TEXT", "NOT NULL", "Answer code."),
            ColumnSpec("label", "TEXT", "NOT NULL", "Answer as shown."),
            ColumnSpec("sort_order", "INTEGER", "NOT NULL", "Order on the scale (named sort_order like every other seed; `order` is an SQL keyword)."),
            ColumnSpec("is_positive", "INTEGER", "", "1 positive, 0 not, NULL don't know or prefer not to say."),
        ], tableConstraints: ["PRIMARY KEY (scale_id, answer)"]),
        TableSpec("redaction_allow", kind: .reference, description: "The reviewed allow list (seeds/redaction_allow.csv): capitalised words a comment may keep (I, Mum, titles, days, months, holidays, countries). Redaction denies by default: any other capitalised word is taken out as a name unless it starts a sentence and is an everyday word (a lower-case entry of the word list /usr/share/dict/british-english, Debian's wbritish). Months that are also given names (April, June) are left off on purpose.", columns: [
            ColumnSpec("term", "TEXT", "PRIMARY KEY", "The word, one word of letters, matched whole and ignoring case."),
            ColumnSpec("reason", "TEXT", "NOT NULL", "Why it is safe: it names no child, carer or place smaller than a country."),
        ]),
        TableSpec("redaction_term", kind: .reference, description: "Words redacted from comments before any is published (seeds/redaction_term.csv): given names, schools and places. Council area names come from geography.", columns: [
            ColumnSpec("term", "TEXT", "NOT NULL", "The word or phrase, matched whole and ignoring case."),
            ColumnSpec("kind", "TEXT", "NOT NULL", "name, school or place: the bracketed word it is replaced by."),
        ], tableConstraints: ["PRIMARY KEY (term, kind)"]),
    ]

    static let derived: [TableSpec] = [
        TableSpec("survey_respondent", kind: .analysis, childLevel: true,
                  description: "Derived by load. One row per respondent per wave, with their description. Restricted.",
                  columns: [
                      ColumnSpec("wave", "TEXT", "", "Survey wave."),
                      ColumnSpec("survey_id", "TEXT", "", "Survey version."),
                      ColumnSpec("respondent_id", "TEXT", "", "Respondent."),
                      ColumnSpec("la_code", "TEXT", "", "Council area."),
                      ColumnSpec("age_group", "TEXT", "", "Age group."),
                      ColumnSpec("sex", "TEXT", "", "Sex code."),
                      ColumnSpec("placement_type", "TEXT", "", "Placement type."),
                      ColumnSpec("answers", "INTEGER", "", "Accepted answers."),
                  ],
                  viewSQL: DataStream.sql(PackageResources.survey_respondent_sql),
                  indexes: ["CREATE INDEX survey_respondent_wave ON survey_respondent(wave, la_code, age_group)"]),
        TableSpec("survey_answer", kind: .analysis, childLevel: true,
                  description: "Derived by load. One row per accepted answer with its question's topic, foundation and wellbeing indicator, and whether it is favourable (1), not (0), or don't know / prefer not to say (NULL, out of denominators). Restricted.",
                  columns: [
                      ColumnSpec("wave", "TEXT", "", "Survey wave."),
                      ColumnSpec("survey_id", "TEXT", "", "Survey version."),
                      ColumnSpec("respondent_id", "TEXT", "", "Respondent."),
                      ColumnSpec("la_code", "TEXT", "", "Council area."),
                      ColumnSpec("age_group", "TEXT", "", "Age group."),
                      ColumnSpec("sex", "TEXT", "", "Sex code."),
                      ColumnSpec("placement_type", "TEXT", "", "Placement type."),
                      ColumnSpec("question_id", "TEXT", "", "Question."),
                      ColumnSpec("topic", "TEXT", "", "Question topic."),
                      ColumnSpec("foundation", "TEXT", "", "Foundation."),
                      ColumnSpec("wellbeing_indicator", "TEXT", "", "SHANARRI indicator."),
                      ColumnSpec("answer", "TEXT", "", "Answer code."),
                      ColumnSpec("answer_label", "TEXT", "", "Answer as shown."),
                      ColumnSpec("favourable", "INTEGER", "", "1 favourable, 0 not, NULL don't know or prefer not to say."),
                  ],
                  viewSQL: DataStream.sql(PackageResources.survey_answer_sql),
                  indexes: ["CREATE INDEX survey_answer_topic ON survey_answer(wave, topic, la_code)"]),
        TableSpec("survey_answer_distribution", kind: .analysis,
                  description: "Derived by load. How many gave each answer to each topic in each wave, across Scotland, by age group (each has its own survey version), don't know and prefer not to say included. Aggregate: published (table of the same name in the public file) for an age group only where the survey result for that topic, Scotland and age group is published (neither count withheld).",
                  columns: [
                      ColumnSpec("wave", "TEXT", "", "Survey wave."),
                      ColumnSpec("age_group", "TEXT", "", "Age group (codelist survey_age_group)."),
                      ColumnSpec("topic", "TEXT", "", "Question topic."),
                      ColumnSpec("answer", "TEXT", "", "Answer code (versions with different scales list their own answers)."),
                      ColumnSpec("answer_label", "TEXT", "", "Answer as shown."),
                      ColumnSpec("sort_order", "INTEGER", "", "Order on its scale."),
                      ColumnSpec("favourable", "INTEGER", "", "1 favourable, 0 not, NULL don't know or prefer not to say (out of denominators)."),
                      ColumnSpec("answers", "INTEGER", "", "Answers given."),
                      ColumnSpec("group_answers", "INTEGER", "", "Everyone in the age group who answered the topic in that wave, don't know and prefer not to say included."),
                  ],
                  viewSQL: DataStream.sql(PackageResources.survey_answer_distribution_sql)),
        TableSpec("survey_quote", kind: .analysis, childLevel: true,
                  description: "Derived by load. Every comment, redacted, with the respondent's age group, consent, and how many answered that survey version in that wave. Restricted: the published quotes (quote in the public file) are those with consent from a group of at least 10.",
                  columns: [
                      ColumnSpec("wave", "TEXT", "", "Survey wave."),
                      ColumnSpec("survey_id", "TEXT", "", "Survey version."),
                      ColumnSpec("respondent_id", "TEXT", "", "Respondent."),
                      ColumnSpec("question_id", "TEXT", "", "Question the comment was given with."),
                      ColumnSpec("topic", "TEXT", "", "Its topic."),
                      ColumnSpec("foundation", "TEXT", "", "Its foundation."),
                      ColumnSpec("age_group", "TEXT", "", "Age group (the only attribution published)."),
                      ColumnSpec("consent_to_quote", "TEXT", "", "yes or no."),
                      ColumnSpec("redacted", "TEXT", "", "The comment with personal details replaced by [name], [e-mail], [phone], [number], [handle], [postcode], [address], [place], [school] or [age]."),
                      ColumnSpec("group_respondents", "INTEGER", "", "Respondents to that survey version in that wave."),
                      ColumnSpec("redacted_sha256", "TEXT", "", "SHA-256 of the redacted text (UTF-8, lower-case hex): what a reviewer's approval must name."),
                      ColumnSpec("review", "TEXT", "", "approved (a reviewer approved this exact text), rejected, changed (a decision on an earlier text: needs review again) or pending (no decision)."),
                  ],
                  viewSQL: DataStream.sql(PackageResources.survey_quote_sql)),
        TableSpec("quote_for_review", kind: .analysis, childLevel: true,
                  description: "Derived by load. Every comment with consent and some text that has no reviewer's approval of its exact redacted text: pending, changed since it was reviewed, or rejected. Restricted; those from groups large enough to publish are written beside the store as quotes-for-review.csv (mode 0640), their first eight columns ready for experiential/quote-review.csv.",
                  columns: [
                      ColumnSpec("survey_id", "TEXT", "", "Survey version."),
                      ColumnSpec("wave", "TEXT", "", "Survey wave."),
                      ColumnSpec("respondent_id", "TEXT", "", "Respondent."),
                      ColumnSpec("question_id", "TEXT", "", "Question the comment was given with."),
                      ColumnSpec("review", "TEXT", "", "pending, changed or rejected."),
                      ColumnSpec("redacted_sha256", "TEXT", "", "SHA-256 of the redacted text."),
                      ColumnSpec("redacted", "TEXT", "", "The redacted text, exactly as it would be published."),
                      ColumnSpec("group_respondents", "INTEGER", "", "Respondents to that survey version in that wave."),
                  ],
                  viewSQL: DataStream.sql(PackageResources.quote_for_review_sql)),
    ]
}
