using UnityEngine;
public class Spinner : MonoBehaviour {}
