"""Ranking: a title beats a summary beats a body; phrases match as phrases; the last
word is a prefix; -word excludes; a thread is one result; locked threads a little lower."""


def test_a_match_in_a_title_beats_one_in_a_body(make_user, make_network, make_thread,
                                                make_article, find):
    author = make_user(role="associate")
    network = make_network()
    make_thread(network, author, title="Weekly rotas", body="Talk about {number} staffing levels")
    make_article(author, title="Staffing levels in winter", body="Some words.")
    assert find("staffing")[0] == ("article", "Staffing levels in winter")


def test_a_match_in_a_summary_beats_one_in_a_body(make_user, make_article, find):
    author = make_user(role="associate")
    make_article(author, title="One", standfirst="About continence care", body="Other words.")
    make_article(author, title="Two", standfirst="Other words", body="About continence care.")
    assert [heading for _, heading in find("continence")] == ["One", "Two"]


def test_stemming_and_the_last_word_as_a_prefix(make_user, make_article, find):
    author = make_user(role="associate")
    make_article(author, title="Discharge planning that works")
    make_article(author, title="Planned admissions")
    assert find("discharg") == [("article", "Discharge planning that works")]
    assert {h for _, h in find("planning")} == {"Discharge planning that works",
                                                "Planned admissions"}


def test_a_quoted_phrase_must_match_as_a_phrase(make_user, make_article, find):
    author = make_user(role="associate")
    make_article(author, title="Hospital at home", body="Care closer to people.")
    make_article(author, title="Home from hospital", body="Getting people home.")
    assert find('"hospital at home"') == [("article", "Hospital at home")]


def test_an_exact_phrase_in_a_title_comes_first(make_user, make_article, find):
    author = make_user(role="associate")
    make_article(author, title="Falls in care homes and prevention",
                 body="falls prevention falls prevention falls prevention")
    make_article(author, title="Falls prevention", body="A long body " * 50)
    assert find("falls prevention")[0] == ("article", "Falls prevention")


def test_a_minus_word_excludes(make_user, make_article, find):
    author = make_user(role="associate")
    make_article(author, title="Agency staff costs")
    make_article(author, title="Bank staff costs")
    assert find("staff -agency") == [("article", "Bank staff costs")]


def test_a_thread_is_one_result_however_many_posts_match(make_user, make_network, make_thread,
                                                         counts, find):
    author = make_user()
    make_thread(make_network(), author, posts=12, title="Rotas", body="Escalation step {number}")
    assert counts("escalation") == {"thread": 1}
    assert find("escalation") == [("post", "Rotas")]


def test_a_locked_thread_ranks_a_little_lower(make_user, make_network, make_thread, find):
    author = make_user()
    network = make_network()
    # Equal matches: the newer would come first (recency breaks ties), but it is locked.
    make_thread(network, author, title="Sepsis screening closed", locked=True, ago=1)
    make_thread(network, author, title="Sepsis screening opened", ago=5)
    assert [h for _, h in find("sepsis screening")] == ["Sepsis screening opened",
                                                        "Sepsis screening closed"]


def test_newest_first_when_asked(make_user, make_network, make_thread, find):
    author = make_user()
    network = make_network()
    make_thread(network, author, title="Older delirium thread", ago=48)
    make_thread(network, author, title="Newer delirium thread", ago=1)
    assert [h for _, h in find("delirium", sort="newest")] == ["Newer delirium thread",
                                                               "Older delirium thread"]


def test_members_are_found_by_name_and_job_never_by_email(make_user, find):
    reader = make_user()
    make_user(display_name="Priya Patel", job_title="Discharge coordinator",
              email="priya.secret@mailhost.invalid")
    assert find("coordinator", viewer=reader) == [("member", "Priya Patel")]
    assert find("priya.secret", viewer=reader) == []
    assert find("mailhost", viewer=reader) == []
    assert find("coordinator") == []  # members only for signed-in people
