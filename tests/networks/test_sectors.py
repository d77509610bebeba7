"""Sector as a first-class filter (issue 14): networks by their members' sectors,
articles by their author's, and each network's members by sector; an unknown
value is refused with a message beside the filter, not silently ignored."""


def test_directory_filters_networks_by_their_members_sector(client, make_user, make_network):
    nurse, councillor = make_user(sector="nhs"), make_user(sector="local_government")
    make_network(name="Ward Leaders", members=[nurse])
    make_network(name="Council Commissioners", members=[councillor])
    make_network(name="Secret Sector Club", visibility="private", members=[nurse])
    page = client.get("/networks/?sector=nhs").get_data(as_text=True)
    assert "Ward Leaders" in page and "Council Commissioners" not in page
    assert "Secret Sector Club" not in page  # still only what the viewer may see
    assert '<option selected value="nhs">' in page or 'value="nhs" selected' in page


def test_an_unknown_sector_is_refused_beside_the_filter(client, make_network):
    make_network(name="Ward Leaders")
    response = client.get("/networks/?sector=astrology")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "We do not know that sector" in page and "Ward Leaders" in page
    articles = client.get("/articles/?sector=astrology")
    assert articles.status_code == 400
    assert "We do not know that sector" in articles.get_data(as_text=True)


def test_articles_filter_by_their_authors_sector(client, make_user, make_article):
    make_article(make_user(role="associate", sector="third_sector"), title="Crisis cafe lessons")
    make_article(make_user(role="associate", sector="nhs"), title="Ward rounds that work")
    page = client.get("/articles/?sector=third_sector").get_data(as_text=True)
    assert "Crisis cafe lessons" in page and "Ward rounds that work" not in page
    assert "by people from charity or social enterprise" in page
    assert "Ward rounds that work" in client.get("/articles/").get_data(as_text=True)


def test_a_network_shows_its_members_by_sector_to_those_who_may_read_it(
        app, client, login, make_user, make_network):
    people = [make_user(sector="nhs"), make_user(sector="nhs"),
              make_user(sector="academic")]
    open_network = make_network(name="Open Talk", members=people)
    closed = make_network(name="Closed Talk", visibility="closed", members=people)
    page = client.get(f"/networks/{open_network.slug}/").get_data(as_text=True)
    assert "Members by sector" in page
    assert page.index("NHS") < page.index("Academic or research")
    assert "Members by sector" not in client.get(f"/networks/{closed.slug}/").get_data(
        as_text=True)
    member_view = login(app.test_client(), people[0]).get(f"/networks/{closed.slug}/")
    assert "Members by sector" in member_view.get_data(as_text=True)
