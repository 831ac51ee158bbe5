#!/usr/bin/python3
"""Drives ambit's Sahara face with OpenStack's own client library.

    client.py SERVER PROJECT USER:PASSWORD OTHER:PASSWORD

SERVER is the server's root (http://127.0.0.1:8080), PROJECT a project
USER is granted and OTHER is not; their tokens come from SERVER/token.
Prints each check and "N passed, N failed"; exits 1 on a failure.
"""
import base64
import json
import sys
import time
import urllib.request

from keystoneauth1 import session
from keystoneauth1.token_endpoint import Token
from saharaclient.api import base
from saharaclient.api.client import Client

def token(server, credentials):
    req = urllib.request.Request(server + "/token")
    req.add_header("Authorization", "Basic " + base64.b64encode(credentials.encode()).decode())
    with urllib.request.urlopen(req) as resp:
        return json.load(resp)["access_token"]


SERVER, PROJECT = sys.argv[1], sys.argv[2]
URL = "%s/v1.1/%s" % (SERVER, PROJECT)
TOKEN, OTHER = token(SERVER, sys.argv[3]), token(SERVER, sys.argv[4])
results = {"passed": 0, "failed": 0}


def client(token):
    return Client(session=session.Session(auth=Token(URL, token)), sahara_url=URL)


def check(name, fn):
    try:
        fn()
    except Exception as e:  # a failed check, whatever it raised
        results["failed"] += 1
        print("FAIL %s: %r" % (name, e))
        return
    results["passed"] += 1
    print("ok   %s" % name)


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def fails(code, name, fn):
    try:
        fn()
    except base.APIException as e:
        expect(e.error_code == code and (name is None or e.error_name == name),
               "got %s %s (%s), want %s %s" % (e.error_code, e.error_name, e.error_message, code, name))
        return
    raise AssertionError("no error, want %s %s" % (code, name))


sahara = client(TOKEN)
ids = {}


def plugins():
    names = [p.name for p in sahara.plugins.list()]
    expect("ambit" in names, "plugins %s" % names)
    p = sahara.plugins.get("ambit")
    expect(p.versions == ["1.0"], "versions %s" % p.versions)
    v = sahara.plugins.get_version_details("ambit", "1.0")
    expect("DATANODE" in v.node_processes["HDFS"], "node processes %s" % v.node_processes)
    expect(v.required_image_tags == ["ambit", "1.0"], "tags %s" % v.required_image_tags)
    expect(len(v.configs) > 0 and "default_value" in v.configs[0], "configs %s" % v.configs[:1])


def ngt_create():
    for name in ("worker", "master", "edge"):
        t = sahara.node_group_templates.create(name, "ambit", "1.0", "2", description="a " + name,
                                               node_processes=["DATANODE"], volumes_per_node=0,
                                               is_public=False, auto_security_group=True)
        ids[name] = t.id
        expect(t.name == name and len(t.id) == 36, "created %s" % t.to_dict())
        for key in ("volume_local_to_instance", "volume_mount_prefix", "volume_type", "volumes_availability_zone", "volumes_size"):
            expect(hasattr(t, key), "no %s" % key)


def ngt_list():
    page = sahara.node_group_templates.list(limit=2, sort_by="name", reverse=True)
    expect([t.name for t in page] == ["worker", "master"], "first page %s" % [t.name for t in page])
    expect(page.next == ids["master"] and page.prev is None, "markers %s %s" % (page.next, page.prev))
    page = sahara.node_group_templates.list(limit=2, sort_by="name", reverse=True, marker=page.next)
    expect([t.name for t in page] == ["edge"], "second page %s" % [t.name for t in page])
    found = sahara.node_group_templates.list(search_opts={"name": "master"})
    expect([t.name for t in found] == ["master"], "filtered %s" % [t.name for t in found])
    expect(len(sahara.node_group_templates.list(search_opts={"plugin_name": "ambit"})) == 3, "by plugin")


def ngt_get_update_delete():
    t = sahara.node_group_templates.get(ids["edge"])
    expect(t.description == "a edge", "get %s" % t.to_dict())
    t = sahara.node_group_templates.update(ids["edge"], description="changed")
    expect(t.description == "changed", "update %s" % t.to_dict())
    sahara.node_group_templates.delete(ids["edge"])
    fails(404, "NOT_FOUND", lambda: sahara.node_group_templates.get(ids["edge"]))


def cluster_templates():
    ct = sahara.cluster_templates.create("small", "ambit", "1.0", description="two workers",
                                         node_groups=[{"name": "workers", "count": 2,
                                                       "node_group_template_id": ids["worker"]}],
                                         net_id="net-1", use_autoconfig=True)
    expect(ct.name == "small" and ct.node_groups[0]["count"] == 2, "created %s" % ct.to_dict())
    expect(ct.neutron_management_network == "net-1", "net_id %s" % ct.to_dict())
    expect([c.name for c in sahara.cluster_templates.list()] == ["small"], "list")
    more = [sahara.cluster_templates.create(n, "ambit", "1.0") for n in ("medium", "large")]
    paged(sahara.cluster_templates, ["small", "medium", "large"], plugin_name="ambit")
    for t in more:
        sahara.cluster_templates.delete(t.id)
    ct = sahara.cluster_templates.update(ct.id, description="changed")
    expect(ct.description == "changed", "update %s" % ct.to_dict())
    expect(sahara.cluster_templates.get(ct.id).description == "changed", "get")
    sahara.cluster_templates.delete(ct.id)
    fails(404, "NOT_FOUND", lambda: sahara.cluster_templates.get(ct.id))


def job_binaries():
    jb = sahara.job_binaries.create("wordcount.jar", "swift://jars/wordcount.jar", description="wc",
                                    extra={"user": "u", "password": "p"})
    expect(jb.url == "swift://jars/wordcount.jar", "created %s" % jb.to_dict())
    expect([j.name for j in sahara.job_binaries.list()] == ["wordcount.jar"], "list")
    more = [sahara.job_binaries.create(n, "swift://jars/" + n, extra={"user": "u", "password": "p"}) for n in ("a.jar", "b.jar")]
    paged(sahara.job_binaries, ["wordcount.jar", "a.jar", "b.jar"], url="swift://jars/a.jar")
    for j in more:
        sahara.job_binaries.delete(j.id)
    expect(sahara.job_binaries.get(jb.id).description == "wc", "get")
    jb = sahara.job_binaries.update(jb.id, {"description": "changed"})
    expect(jb.description == "changed", "update %s" % jb.to_dict())
    sahara.job_binaries.delete(jb.id)


def binary_data():
    jbi = sahara.job_binary_internals.create("script.pig", "A = LOAD 'x';\nDUMP A;\n")
    expect(jbi.name == "script.pig" and jbi.datasize == 22, "internal %s" % jbi.to_dict())
    expect([b.name for b in sahara.job_binary_internals.list()] == ["script.pig"], "internals")
    jb = sahara.job_binaries.create("script", "internal-db://" + jbi.id)
    data = sahara.job_binaries.get_file(jb.id)
    expect(data == b"A = LOAD 'x';\nDUMP A;\n", "data %r" % data)
    sahara.job_binaries.delete(jb.id)
    sahara.job_binary_internals.delete(jbi.id)
    fails(404, "NOT_FOUND", lambda: sahara.job_binary_internals.get(jbi.id))


def images():
    # The client reads registration's answer unwrapped, as Sahara's server
    # sends it: {"image": {...}}.
    img = sahara.images.update_image("img-1", "ubuntu", "a base image").image
    expect(img["username"] == "ubuntu" and img["status"] == "ACTIVE", "registered %s" % img)
    img = sahara.images.update_tags("img-1", ["ambit", "1.0"])
    expect(sorted(img.tags) == ["1.0", "ambit"], "tags %s" % img.tags)
    sahara.images.update_image("img-2", "centos")
    expect([i.id for i in sahara.images.list(search_opts={"tags": ["ambit", "1.0"]})] == ["img-1"], "by tags")
    img = sahara.images.update_tags("img-1", ["ambit"])
    expect(img.tags == ["ambit"], "untagged %s" % img.tags)
    expect(len(sahara.images.list()) == 2, "list")
    sahara.images.unregister_image("img-2")
    fails(404, "NOT_FOUND", lambda: sahara.images.get("img-2"))


def paged(mgr, names, **filters):
    """Checks limit, marker, sort_by (both ways) and a filter on a manager's list."""
    want = sorted(names)
    page = mgr.list(limit=1, sort_by="name")
    expect([x.name for x in page] == want[:1] and page.next == page[0].id and page.prev is None,
           "first page %s next=%s" % ([x.name for x in page], page.next))
    rest = mgr.list(limit=len(want), sort_by="name", marker=page.next)
    expect([x.name for x in rest] == want[1:], "rest %s" % [x.name for x in rest])
    down = mgr.list(sort_by="name", reverse=True)
    expect([x.name for x in down] == want[::-1], "descending %s" % [x.name for x in down])
    if filters:
        found = mgr.list(search_opts=filters)
        expect(len(found) >= 1 and all(getattr(x, k) == v for x in found for k, v in filters.items()), "filtered %s" % filters)


def wait_active(cid):
    for _ in range(300):
        c = sahara.clusters.get(cid)
        if c.status in ("Active", "Error"):
            expect(c.status == "Active", "status %s: %s" % (c.status, c.status_description))
            return c
        time.sleep(0.1)
    raise AssertionError("still %s" % c.status)


def clusters():
    ngt = sahara.node_group_templates.create("broker", "ambit", "1.0", "2", node_processes=["ZOOKEEPER_SERVER", "KAFKA_BROKER"])
    cl = sahara.clusters.create("kafka", "ambit", "1.0", default_image_id="img-1", net_id="net-1",
                                node_groups=[{"name": "master", "count": 1, "node_group_template_id": ngt.id},
                                             {"name": "workers", "count": 2, "node_processes": ["CONNECT_WORKER"], "flavor_id": "3"}])
    expect(cl.status in ("Validating", "Spawning") and cl.neutron_management_network == "net-1", "created %s" % cl.to_dict())
    fails(400, "INVALID_REFERENCE", lambda: sahara.clusters.scale(cl.id, {"resize_node_groups": [{"name": "workers", "count": 3}]}))
    wait_active(cl.id)
    c = sahara.clusters.get(cl.id, show_progress=True)
    steps = c.provision_progress
    expect(sum(s["total"] for s in steps) == 8 and all(s["successful"] for s in steps), "progress %s" % steps)
    sahara.clusters.scale(cl.id, {"resize_node_groups": [{"name": "workers", "count": 3}],
                                  "add_node_groups": [{"name": "clients", "count": 1, "node_processes": ["ZOOKEEPER_CLIENT"]}]})
    c = wait_active(cl.id)
    sizes = {g["name"]: len(g["instances"]) for g in c.node_groups}
    expect(sizes == {"master": 1, "workers": 3, "clients": 1}, "scaled %s" % sizes)
    expect([x.name for x in sahara.clusters.list(search_opts={"status": "Active"})] == ["kafka"], "list by status")
    c = sahara.clusters.update(cl.id, description="streams", is_public=True)
    expect(c.cluster["description"] == "streams" and c.cluster["is_public"], "update %s" % c.to_dict())
    ct = sahara.cluster_templates.create("streams", "ambit", "1.0",
                                         node_groups=[{"name": "master", "count": 1, "node_group_template_id": ngt.id}])
    from_ct = sahara.clusters.create("from-template", "ambit", "1.0", cluster_template_id=ct.id, default_image_id="img-1")
    c = wait_active(from_ct.id)
    paged(sahara.clusters, ["kafka", "from-template"], name="kafka")
    expect(c.cluster_template_id == ct.id and c.node_groups[0]["instances"][0]["instance_name"] == "from-template-master-001",
           "from a template %s" % c.to_dict())
    sahara.clusters.delete(from_ct.id)
    sahara.clusters.delete(cl.id)
    expect(sahara.clusters.get(cl.id).status == "Deleting", "after delete")
    for _ in range(300):
        try:
            sahara.clusters.get(cl.id)
        except base.APIException as e:
            expect(e.error_code == 404 and e.error_name == "NOT_FOUND", "got %s %s" % (e.error_code, e.error_name))
            break
        time.sleep(0.1)
    else:
        raise AssertionError("never deleted")
    fails(400, None, lambda: sahara.clusters.create("x", "ambit", "1.0", node_groups=[{"name": "g", "count": 1, "node_processes": ["NOPE"]}]))
    kept = sahara.clusters.create("zk", "ambit", "1.0", node_groups=[{"name": "g", "count": 1, "node_processes": ["ZOOKEEPER_SERVER"]}])
    fails(400, "CLUSTER_NAME_ALREADY_EXISTS", lambda: sahara.clusters.create("zk", "ambit", "1.0", node_groups=[{"name": "g", "count": 1, "node_processes": ["ZOOKEEPER_SERVER"]}]))
    sahara.clusters.delete(kept.id)
    pair = sahara.clusters.create("pair", "ambit", "1.0", count=2,
                                  node_groups=[{"name": "g", "count": 1, "node_processes": ["ZOOKEEPER_SERVER"]}])
    expect(len(pair.clusters) == 2, "count=2 %s" % pair.to_dict())
    names = sorted(sahara.clusters.get(i).name for i in pair.clusters)
    expect(names == ["pair-1", "pair-2"], "names %s" % names)
    for i in pair.clusters:
        sahara.clusters.delete(i)


def errors():
    fails(404, "NOT_FOUND", lambda: sahara.node_group_templates.get("00000000-0000-4000-8000-000000000000"))
    fails(400, "NAME_ALREADY_EXISTS", lambda: sahara.node_group_templates.create("worker", "ambit", "1.0", "2", node_processes=["DATANODE"]))
    fails(400, "INVALID_REFERENCE", lambda: sahara.node_group_templates.list(marker="no-such-marker", limit=1))
    fails(401, None, lambda: client("not-a-token").plugins.list())
    fails(403, None, lambda: client(OTHER).plugins.list())


for name, fn in [("plugins", plugins), ("node group templates: create", ngt_create), ("node group templates: list", ngt_list),
                 ("node group templates: get, update, delete", ngt_get_update_delete), ("cluster templates", cluster_templates),
                 ("job binaries", job_binaries), ("job binary data", binary_data), ("images", images), ("clusters", clusters),
                 ("errors", errors)]:
    check(name, fn)
print("%d passed, %d failed" % (results["passed"], results["failed"]))
sys.exit(1 if results["failed"] else 0)
