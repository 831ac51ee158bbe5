#!/usr/bin/env bash
# Runs OpenStack's CLI (openstack dataprocessing ...) against a server:
#     cli.sh SERVER PROJECT TOKEN
# and checks what each command prints. Prints "N passed, N failed"; exits
# 1 on a failure. (image register looks the image up in an image service,
# which ambit is not: images are registered through the API, then tagged
# and listed with the CLI.)
set -uo pipefail
server=$1 project=$2 token=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
os() { timeout 60 openstack --os-auth-type admin_token --os-endpoint "$server/v1.1/$project" --os-token "$token" dataprocessing "$@" 2>&1; }
passed=0 failed=0
check() { # check NAME WANT COMMAND...: the command's output holds WANT
	local name=$1 want=$2
	shift 2
	local out
	out=$("$@")
	if [[ "$out" == *"$want"* ]]; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name: want $want in:"
		echo "$out" | tail -5
	fi
}
cat >"$dir/ngt.json" <<'JSON'
{"name": "workers", "plugin_name": "ambit", "hadoop_version": "1.0", "node_processes": ["DATANODE"], "flavor_id": "2", "volumes_per_node": 0}
JSON
cat >"$dir/ct.json" <<'JSON'
{"name": "small", "plugin_name": "ambit", "hadoop_version": "1.0", "node_groups": [{"name": "workers", "count": 2, "node_group_template_id": "x"}]}
JSON
check "plugin list" "| ambit | 1.0" os plugin list
check "plugin show" "Sahara plugin" os plugin show ambit
check "plugin version show" "DATANODE" os plugin show ambit --plugin-version 1.0
check "node group template create --json" "| Name                | workers" os node group template create --json "$dir/ngt.json"
check "node group template list" "| workers |" os node group template list
check "node group template show" "| Node processes      | DATANODE" os node group template show workers
check "cluster template create --json" "workers:2" os cluster template create --json "$dir/ct.json"
check "cluster template list" "| small |" os cluster template list
check "cluster template show" "workers:2" os cluster template show small
check "cluster template delete" "has been removed successfully" os cluster template delete small
check "node group template delete" "has been removed successfully" os node group template delete workers
check "job binary create" "| Url          | swift://c/o" os job binary create --name jb --url swift://c/o --username u --password p
check "job binary list" "| jb   |" os job binary list
curl_register() {
	/usr/bin/python3 - "$server/v1.1/$project/images/img-1" "$token" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=b'{"username": "ubuntu"}', method="POST",
                             headers={"X-Auth-Token": sys.argv[2], "Content-Type": "application/json"})
print(urllib.request.urlopen(req).status)
PY
}
check "image registered through the API" "202" curl_register
check "image tags add" "| Tags        | 1.0, ambit" os image tags add img-1 --tags ambit 1.0
check "image list" "| img-1 | img-1 | ubuntu   | 1.0, ambit |" os image list
cat >"$dir/zkb.json" <<'JSON'
{"name": "zkb", "plugin_name": "ambit", "hadoop_version": "1.0", "node_processes": ["ZOOKEEPER_SERVER", "KAFKA_BROKER"], "flavor_id": "2"}
JSON
cat >"$dir/cw.json" <<'JSON'
{"name": "cw", "plugin_name": "ambit", "hadoop_version": "1.0", "node_processes": ["CONNECT_WORKER"], "flavor_id": "3"}
JSON
scaled() { # scale --wait reads its answer wrongly (.cluster of a Cluster): scale, then poll show
	os cluster scale streams --instances cw:3
	for _ in $(seq 100); do
		os cluster show streams | grep -q "| Status .*| Active" && break
		sleep 0.2
	done
	os cluster show streams
}
templates() { os node group template create --json "$dir/zkb.json" && os node group template create --json "$dir/cw.json"; }
check "node group templates for a cluster" "| Name                | cw" templates
check "cluster template create --node-groups" "zkb:1, cw:2" os cluster template create --name streams --node-groups zkb:1 cw:2
check "cluster create --wait" "| Status                     | Active" os cluster create --name streams --cluster-template streams --image img-1 --wait
check "cluster list" "| streams | " os cluster list
check "cluster show --show-progress" "| Step completed successfully" os cluster show streams --show-progress
check "cluster scale" "| Node groups                | zkb:1, cw:3" scaled
check "cluster delete --wait" 'Cluster "streams" has been removed successfully.' os cluster delete streams --wait
cat >"$dir/cluster.json" <<'JSON'
{"name": "zk", "plugin_name": "ambit", "hadoop_version": "1.0", "node_groups": [{"name": "ensemble", "count": 3, "node_processes": ["ZOOKEEPER_SERVER"], "flavor_id": "2"}]}
JSON
check "cluster create --json" "| Node groups                | ensemble:3" os cluster create --json "$dir/cluster.json"
check "cluster delete" 'Cluster "zk" deletion has been started.' os cluster delete zk
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
