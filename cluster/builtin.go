package cluster

// BuiltinStack returns the stack ambit ships: ZooKeeper, Kafka brokers that
// need it, Kafka Connect workers that need the brokers (the zookeeper →
// broker → worker chain of Ohara), and HDFS, with Ambari's own service and
// component names. Each call returns a new value the caller may change.
func BuiltinStack() *Stack {
	return &Stack{
		Name: "AMBIT", Version: "1.0",
		Services: []Service{
			{Name: "ZOOKEEPER",
				Components: []Component{
					{Name: "ZOOKEEPER_SERVER", Category: Master, Cardinality: "1+"},
					{Name: "ZOOKEEPER_CLIENT", Category: Client, Cardinality: "0+"},
				},
				Configs: map[string]map[string]string{
					"zoo.cfg":       {"clientPort": "2181", "tickTime": "2000", "dataDir": "/var/lib/zookeeper"},
					"zookeeper-env": {"zk_user": "zookeeper"},
				}},
			{Name: "KAFKA", Requires: []string{"ZOOKEEPER"},
				Components: []Component{{Name: "KAFKA_BROKER", Category: Master, Cardinality: "1+", Dependencies: []string{"ZOOKEEPER_SERVER"}}},
				Configs: map[string]map[string]string{
					"kafka-broker": {"listeners": "PLAINTEXT://localhost:9092", "log.dirs": "/var/lib/kafka", "num.partitions": "1"},
				}},
			{Name: "KAFKA_CONNECT", Requires: []string{"KAFKA"},
				Components: []Component{{Name: "CONNECT_WORKER", Category: Slave, Cardinality: "1+", Dependencies: []string{"KAFKA_BROKER"}}},
				Configs: map[string]map[string]string{
					"connect-distributed": {"rest.port": "8083", "group.id": "connect-cluster"},
				}},
			{Name: "HDFS",
				Components: []Component{
					{Name: "NAMENODE", Category: Master, Cardinality: "1-2"},
					{Name: "SECONDARY_NAMENODE", Category: Master, Cardinality: "1", Dependencies: []string{"NAMENODE"}},
					{Name: "DATANODE", Category: Slave, Cardinality: "1+", Dependencies: []string{"NAMENODE"}},
					{Name: "HDFS_CLIENT", Category: Client, Cardinality: "0+"},
				},
				Configs: map[string]map[string]string{
					"core-site": {"fs.defaultFS": "hdfs://localhost:8020"},
					"hdfs-site": {"dfs.replication": "3", "dfs.namenode.name.dir": "/hadoop/hdfs/namenode"},
				}},
		},
		Idempotent: []Command{Install, ServiceCheck},
		Order: map[string][]string{
			"KAFKA_BROKER-INSTALL":     {"ZOOKEEPER_SERVER-INSTALL"},
			"CONNECT_WORKER-INSTALL":   {"KAFKA_BROKER-INSTALL"},
			"KAFKA_BROKER-START":       {"ZOOKEEPER_SERVER-START"},
			"CONNECT_WORKER-START":     {"KAFKA_BROKER-START"},
			"SECONDARY_NAMENODE-START": {"NAMENODE-START"},
			"DATANODE-START":           {"NAMENODE-START"},
			"ZOOKEEPER_SERVER-STOP":    {"KAFKA_BROKER-STOP"},
			"KAFKA_BROKER-STOP":        {"CONNECT_WORKER-STOP"},
			"NAMENODE-STOP":            {"DATANODE-STOP", "SECONDARY_NAMENODE-STOP"},
		},
	}
}
