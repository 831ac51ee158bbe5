package cluster_test

import (
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/google/go-cmp/cmp"
)

func TestLayout(t *testing.T) {
	got := cluster.Layout(cluster.BuiltinStack(), []string{"h1", "h2", "h3"})
	want := map[string][]string{
		"h1": {"ZOOKEEPER_SERVER", "ZOOKEEPER_CLIENT", "KAFKA_BROKER", "CONNECT_WORKER", "DATANODE", "HDFS_CLIENT"},
		"h2": {"ZOOKEEPER_SERVER", "KAFKA_BROKER", "CONNECT_WORKER", "NAMENODE", "DATANODE"},
		"h3": {"ZOOKEEPER_SERVER", "KAFKA_BROKER", "CONNECT_WORKER", "SECONDARY_NAMENODE", "DATANODE"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if got := cluster.Layout(cluster.BuiltinStack(), nil); len(got) != 0 {
		t.Errorf("no hosts: %v", got)
	}
}
