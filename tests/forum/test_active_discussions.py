"""The home page's "Active discussions": latest visible threads the viewer may read."""
from sqlalchemy import update

from network.extensions import db
from network.forum.models import Thread


def test_home_lists_active_threads_the_viewer_may_read(client, login, make_user, make_network,
                                                      make_thread):
    member = make_user(trusted=True)
    open_net = make_network(members=[member])
    closed_net = make_network(visibility="closed", members=[member])
    private_net = make_network(visibility="private", members=[member])
    make_thread(open_net, member, title="Open chat", ago=3)
    make_thread(closed_net, member, title="Closed chat", ago=2)
    make_thread(private_net, member, title="Private chat", ago=1)
    make_thread(open_net, member, title="Hidden chat", status="hidden")
    anonymous = client.get("/").get_data(as_text=True)
    assert "Active discussions" in anonymous and "Open chat" in anonymous
    assert "Closed chat" not in anonymous and "Private chat" not in anonymous
    page = login(client, member).get("/").get_data(as_text=True)
    assert page.index("Private chat") < page.index("Closed chat") < page.index("Open chat")
    assert "Hidden chat" not in page
    login(client, make_user())
    outsider = client.get("/").get_data(as_text=True)
    assert "Private chat" not in outsider and "Closed chat" not in outsider


def test_home_discussions_take_a_fixed_number_of_queries(app, client, make_user, make_network,
                                                         make_thread, count_queries):
    member = make_user(trusted=True)
    network = make_network(members=[member])
    counts = []
    for n in (2, 12):
        while True:
            make_thread(network, member, title=f"Thread {n}")
            with app.app_context():
                total = db.session.query(Thread).count()
            if total >= n:
                break
        with count_queries() as queries:
            assert client.get("/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6, counts  # articles, threads, networks, practices, events
    with app.app_context():
        db.session.execute(update(Thread).values(status="pending"))
        db.session.commit()
    assert "Active discussions" not in client.get("/").get_data(as_text=True)
