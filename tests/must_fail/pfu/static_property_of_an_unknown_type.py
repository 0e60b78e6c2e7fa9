# must-fail: a --unity-schema file whose static property has a type that does not exist stops the engine at start, naming the file, the line and the property; every flow fails
# flow: test_client_without_services
# unity-schema: ../schemas/bad_static_property_type.schema.toml
# expect-output: bad_static_property_type.schema.toml:8
# expect-output: static property 'Verbose' of class 'rpycSettings': type 'boool': unknown type
