"""The member directory (issue 14)."""


def _names(client, query=""):
    response = client.get(f"/members/{query}")
    return response, response.get_data(as_text=True)


def test_the_directory_needs_signing_in(client):
    assert client.get("/members/").status_code == 302


def test_filters_by_sector_region_organisation_and_role(app, client, login, make_user):
    viewer = make_user(username="viewer", display_name="Vera Viewer", sector="academic")
    make_user(username="nurse", display_name="Nina Nurse", sector="nhs", region_id=1,
              organisation="Leeds Trust")
    make_user(username="officer", display_name="Oscar Officer", sector="local_government",
              organisation="Leeds City Council", role="associate")
    login(client, viewer)
    _, page = _names(client, "?sector=nhs")
    assert "Nina Nurse" in page and "Oscar Officer" not in page
    _, page = _names(client, "?organisation=council")
    assert "Oscar Officer" in page and "Nina Nurse" not in page
    _, page = _names(client, "?role=associate")
    assert "Oscar Officer" in page and "Nina Nurse" not in page
    _, page = _names(client, "?region=north-east-and-yorkshire")
    assert "Nina Nurse" in page and "Oscar Officer" not in page


def test_unknown_filter_values_are_refused_clearly(client, login, make_user):
    login(client, make_user())
    for query, message in (("?sector=martian", "Choose a sector"), ("?region=atlantis", "Choose a region"),
                           ("?role=king", "Choose a role"), ("?network=nope", "Choose a network")):
        response, page = _names(client, query)
        assert response.status_code == 400 and message in page, query


def test_people_who_hide_themselves_and_deleted_accounts_are_never_listed(client, login, make_user):
    login(client, make_user(username="viewer"))
    make_user(display_name="Hidden Harriet", hidden_from_directory=True)
    make_user(display_name="Shown Sam")
    _, page = _names(client)
    assert "Shown Sam" in page and "Hidden Harriet" not in page


def test_hiding_is_a_profile_setting(app, client, login, make_user):
    person = make_user(username="shy", display_name="Shy Person")
    login(client, person)
    client.post("/settings/profile", data={"display_name": "Shy Person", "sector": "nhs",
                                           "hidden_from_directory": "y"})
    _, page = _names(client)
    assert '<h2><a href="/members/shy">' not in page


def test_private_networks_are_a_filter_and_shown_only_to_their_members(
        client, login, make_user, make_network):
    insider, outsider = make_user(username="insider"), make_user(username="outsider")
    colleague = make_user(display_name="Colleague Carol")
    secret = make_network(visibility="private", members=[insider, colleague], name="Secret Circle")
    login(client, outsider)
    response, page = _names(client, f"?network={secret.slug}")
    assert response.status_code == 400 and "Secret Circle" not in page
    _, page = _names(client)
    assert "Colleague Carol" in page and "Secret Circle" not in page
    login(client, insider)
    response, page = _names(client, f"?network={secret.slug}")
    assert response.status_code == 200 and "Colleague Carol" in page and "Secret Circle" in page
